// Issue 11 on phones (390×844): the Rial demo reseller tops up by card receipt (amount → card
// shown → receipt uploaded), an admin approves it from his phone, and the reseller's wallet shows
// the credit. Nothing is credited before the admin decides.
import { expect, test } from '@playwright/test'
import sharp from 'sharp'
import { expectNoHorizontalScroll, login } from './fixtures'

test.use({ viewport: { width: 390, height: 844 } })

/** "5,000,000 Rial" (or "… IRR", "−1,000 …") → 5000000 */
const rial = (text: string) => {
	const m = /(−|-)?([\d,]+)/.exec(text)
	if (!m) throw new Error(`not an amount: ${text}`)
	return (m[1] ? -1 : 1) * Number(m[2]!.replace(/,/g, ''))
}

test('a reseller tops up by receipt from the phone, the admin approves from a phone, the wallet shows it', async ({ browser }) => {
	test.setTimeout(120_000)
	const reseller = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage()
	await login(reseller, 'reseller_irr')
	await expect(reseller).toHaveURL(/\/reseller$/)
	await reseller.goto('/reseller/wallet')
	const before = rial(await reseller.getByTestId('wallet-balance').innerText())
	await reseller.getByTestId('top-up-link').click()
	await expect(reseller).toHaveURL(/\/reseller\/wallet\/top-up$/)
	await expectNoHorizontalScroll(reseller)

	await reseller.getByLabel('Amount (Rial)').fill('5,000,000')
	await reseller.getByLabel('Bank card').check()
	await reseller.getByRole('button', { name: 'Show payment details' }).click()
	await expect(reseller).toHaveURL(/\/reseller\/wallet\/top-up\/\d+$/)
	await expect(reseller.getByTestId('exact-amount')).toHaveAttribute('data-amount', '5000000')
	await expect(reseller.getByTestId('copy-Card number')).toHaveText(/^\d{16}$/)
	await expectNoHorizontalScroll(reseller)
	const paymentUrl = reseller.url()

	const png = await sharp({ create: { width: 300, height: 500, channels: 3, background: { r: Date.now() % 256, g: 120, b: 40 } } }).png().toBuffer()
	await reseller.getByLabel('Receipt (image or PDF, up to 5 MB)').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: png })
	await reseller.getByLabel('Tracking / reference code').fill(`E2E-${Date.now()}`)
	await reseller.getByLabel('Last 4 digits of your card').fill('4321')
	const tehran = new Date(Date.now() + 210 * 60_000 - 5 * 60_000).toISOString().slice(0, 16)
	await reseller.getByLabel('Paid at (Tehran time)').fill(tehran)
	await reseller.getByRole('button', { name: 'Send receipt' }).click()
	await expect(reseller.getByTestId('waiting')).toBeVisible()
	// pending: nothing credited yet
	await reseller.goto('/reseller/wallet')
	expect(rial(await reseller.getByTestId('wallet-balance').innerText())).toBe(before)

	const admin = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage()
	await login(admin, 'admin')
	await expect(admin).toHaveURL(/\/admin$/)
	await admin.goto('/admin/payments')
	await expectNoHorizontalScroll(admin)
	const id = paymentUrl.split('/').pop()!
	await admin.getByTestId('queue-row').filter({ hasText: `#${id}` }).click()
	await expect(admin).toHaveURL(new RegExp(`/admin/payments/${id}$`))
	await expect(admin.getByTestId('receipt-image')).toBeVisible()
	await expect(admin.getByTestId('payer-history')).toContainText('0 settled')
	await expectNoHorizontalScroll(admin)
	await admin.getByTestId('approve').click()
	await expect(admin.getByText('Approved and credited.')).toBeVisible()
	await expect(admin.getByTestId('events')).toContainText('Credited')

	await reseller.goto(paymentUrl)
	await expect(reseller.getByTestId('settled')).toBeVisible()
	await reseller.goto('/reseller/wallet')
	expect(rial(await reseller.getByTestId('wallet-balance').innerText())).toBe(before + 5_000_000)
	await expect(reseller.getByTestId('ledger-entry').first().getByTestId('ledger-amount')).toHaveAttribute('data-amount', '5000000')
})
