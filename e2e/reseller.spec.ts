// The demo reseller on a phone (390×844): creates a customer on two simulated nodes, opens the
// links and QR codes, extends, adds traffic and refunds; the wallet matches the ledger. The e2e
// server runs the worker in-process, so the page is polled until the panels are set up.
import { expect, test, type Page } from '@playwright/test'
import { expectNoHorizontalScroll, login } from './fixtures'

test.use({ viewport: { width: 390, height: 844 } })

/** "1,234.50 USD" / "−1.50 USD" → minor units. */
const minor = (text: string) => {
	const m = /(−|-)?([\d,]+)\.(\d{2})/.exec(text)
	if (!m) throw new Error(`not money: ${text}`)
	return (m[1] ? -1 : 1) * Number(m[2]!.replace(/,/g, '') + m[3])
}

async function balance(page: Page) {
	await page.goto('/reseller/wallet')
	return minor(await page.getByTestId('wallet-balance').innerText())
}

async function operation(page: Page, kind: string, title: string, fill?: { label: string; value: string }) {
	const op = page.getByTestId(`op-${kind}`)
	await op.getByText(title, { exact: true }).click() // the <details> summary
	if (fill) await op.getByLabel(fill.label, { exact: true }).fill(fill.value)
	await op.getByRole('button', { name: /See the (price|refund)/ }).click()
	await expect(page.getByTestId('quote')).toBeVisible()
}

test('a reseller creates, extends, tops up and refunds a customer on his phone', async ({ page }) => {
	test.setTimeout(120_000)
	const username = `e2e_${Date.now().toString(36).slice(-6)}`
	await login(page, 'reseller')
	await expect(page).toHaveURL(/\/reseller$/)
	await expect(page.getByTestId('home-balance')).toBeVisible()
	await expectNoHorizontalScroll(page)
	const start = await balance(page)

	// the wizard, from the bottom tab bar
	await page.getByRole('navigation', { name: 'Reseller' }).last().getByRole('link', { name: 'New' }).click()
	await expect(page).toHaveURL(/\/reseller\/customers\/new$/)
	await page.getByLabel('Demo Marzban').check()
	await page.getByLabel('Demo WGDashboard').check()
	await page.getByLabel('Traffic (GB)').fill('10')
	await page.getByLabel('Days', { exact: true }).fill('30')
	await page.getByLabel('Username').fill(username)
	await expectNoHorizontalScroll(page)
	await page.getByRole('button', { name: 'See the price' }).click()
	// 10 GB × $0.50 on each of two nodes + 30 days × $0.05
	await expect(page.getByTestId('quote-total')).toHaveText('11.50 USD')
	await expect(page.getByTestId('quote-username')).toHaveText(username)
	await expectNoHorizontalScroll(page)
	await page.getByRole('button', { name: 'Confirm and create' }).click()
	await expect(page.getByText(`Customer ${username} created.`)).toBeVisible()
	await expect(page.getByRole('heading', { name: username })).toBeVisible()

	// the worker sets the panels up; the page polls by itself
	await expect(page.getByTestId('order-status')).toHaveText('Ready', { timeout: 30_000 })
	const share = page.locator('section[data-testid^="node-"]').getByTestId('share-link').first()
	await expect(share.getByTestId('share-value')).toHaveValue(/^(vless|vmess|trojan|ss):\/\//)
	await share.getByText('Show QR code').click()
	await expect(share.getByRole('img')).toBeVisible()
	await expect(page.getByTestId('sub-link').getByTestId('share-value')).toHaveValue(/\/sub\/[\w-]{20,}$/)
	const wg = page.getByTestId('wg-download')
	const file = await page.request.get((await wg.getAttribute('href'))!)
	expect(file.headers()['content-type']).toMatch(/^text\/plain/)
	expect(file.headers()['content-disposition']).toMatch(/^attachment; filename=".+\.conf"/)
	expect(await file.text()).toContain('[Interface]')
	await expectNoHorizontalScroll(page)

	// extend 30 days: $1.50
	const expiry = await page.getByTestId('expire-at').innerText()
	await operation(page, 'extend', 'Extend', { label: 'Days', value: '30' })
	await expect(page.getByTestId('quote-total')).toHaveText('1.50 USD')
	await expectNoHorizontalScroll(page)
	await page.getByRole('button', { name: 'Confirm extension' }).click()
	await expect(page.getByText('Extended.')).toBeVisible()
	await expect(page.getByTestId('expire-at')).not.toHaveText(expiry)

	// add 5 GB: $2.50 on each node
	await operation(page, 'add_traffic', 'Add traffic', { label: 'Traffic (GB)', value: '5' })
	await expect(page.getByTestId('quote-total')).toHaveText('5.00 USD')
	await page.getByRole('button', { name: 'Confirm traffic' }).click()
	await expect(page.getByText('Traffic added.')).toBeVisible()
	await expect(page.getByTestId('usage').first()).toContainText('/ 15 GB')
	await expect(page.getByTestId('order-status')).toHaveText('Ready', { timeout: 30_000 })

	// refund: nothing used, so all the traffic money ($10 + $5) comes back; days do not
	await operation(page, 'refund', 'Refund')
	await expect(page.getByTestId('quote-total')).toHaveText('15.00 USD')
	await expect(page.getByText('Credited to you')).toBeVisible()
	await page.getByRole('button', { name: 'Refund now' }).click()
	await page.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click()
	await expect(page.getByText('Refunded to your wallet.')).toBeVisible()
	await expect(page.getByRole('heading', { name: username }).locator('..').getByText('Refunded')).toBeVisible()

	// the wallet: the balance moved by exactly the quotes, and it is the sum of the ledger
	const end = await balance(page)
	expect(end).toBe(start - 1150 - 150 - 500 + 1500)
	await expectNoHorizontalScroll(page)
	const amounts = await page.getByTestId('ledger-amount').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-amount'))))
	expect(amounts.slice(0, 4)).toEqual([1500, -500, -150, -1150])
	expect(amounts.reduce((s, a) => s + a, 0)).toBe(end) // every entry fits on the first page here
	await expect(page.getByTestId('ledger-entry').first()).toContainText(`Balance ${(end / 100).toFixed(2)} USD`)

	// the list finds him, in Persian too, without horizontal scroll
	await page.goto(`/reseller/customers?q=${username}`)
	await expect(page.getByTestId('customer-list').getByRole('link')).toHaveCount(1)
	await expectNoHorizontalScroll(page)
	await page.getByTestId('language-switch').click()
	await expect(page.locator('html')).toHaveAttribute('dir', 'rtl')
	await expect(page.getByTestId('customer-list').getByText('بازپرداخت‌شده')).toBeVisible()
	await expectNoHorizontalScroll(page)
	await page.getByTestId('customer-list').getByRole('link').click()
	await expect(page.getByRole('heading', { name: username })).toBeVisible()
	await expectNoHorizontalScroll(page)
	await page.getByTestId('language-switch').click()
})

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false })

	test('the wizard and an operation work as plain forms', async ({ page }) => {
		const username = `nojs_${Date.now().toString(36).slice(-6)}`
		await login(page, 'reseller')
		await expect(page).toHaveURL(/\/reseller$/)
		await page.goto('/reseller/customers/new')
		// the wizard ticks the nodes chosen last time: start from none
		for (const box of await page.locator('input[name="nodeIds"]').all()) await box.uncheck()
		await page.getByLabel('Demo Marzneshin').check()
		await page.getByLabel('Traffic (GB)').fill('-3')
		await page.getByLabel('Days', { exact: true }).fill('7')
		await page.getByRole('button', { name: 'See the price' }).click()
		await expect(page.getByText('Enter a number greater than zero.')).toBeVisible()
		await page.getByLabel('Traffic (GB)').fill('2')
		await page.getByLabel('Username').fill(username)
		await page.getByRole('button', { name: 'See the price' }).click()
		await expect(page.getByTestId('quote-total')).toHaveText('1.35 USD')
		await page.getByRole('button', { name: 'Confirm and create' }).click()
		await expect(page.getByRole('heading', { name: username })).toBeVisible()
		// without JS the page offers a refresh link while the panels are being set up
		for (let i = 0; i < 30; i++) {
			if ((await page.getByTestId('order-status').innerText()) === 'Ready') break
			await page.waitForTimeout(500)
			await page.reload()
		}
		await expect(page.getByTestId('order-status')).toHaveText('Ready')
		await page.getByText('Extend', { exact: true }).click()
		await page.locator('details[open]').getByLabel('Days').fill('3')
		await page.locator('details[open]').getByRole('button', { name: 'See the price' }).click()
		await expect(page.getByTestId('quote-total')).toHaveText('0.15 USD')
		await page.getByRole('button', { name: 'Confirm extension' }).click()
		await expect(page.getByText('Extended.')).toBeVisible()
	})
})
