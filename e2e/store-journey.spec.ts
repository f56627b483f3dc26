// Issue 12's "done when", on a phone (390×844), in Persian and in English: a visitor registers,
// buys a plan — by card-to-card receipt (an admin approves it from his phone in the same test) or
// at the Zarinpal simulator — gets a working subscription in every format, renews (the other way
// of paying), upgrades with a proration line, and downloads the invoice PDF. Labels come from the
// locale files, so the same journey reads the Persian and the English pages.
import { readFileSync } from 'node:fs'
import { expect, test, type Browser, type Page } from '@playwright/test'
import sharp from 'sharp'
import { parse as parseYaml } from 'yaml'
import { expectNoHorizontalScroll, login } from './fixtures'

test.use({ viewport: { width: 390, height: 844 } })

type Lang = 'en' | 'fa'
const NAMESPACES = ['invoices', 'receipts', 'gateways', 'store', 'subscription', 'common']
function translator(lang: Lang) {
	const all: Record<string, unknown> = {}
	for (const ns of NAMESPACES) Object.assign(all, JSON.parse(readFileSync(`app/locales/${lang}/${ns}.json`, 'utf8')))
	return (key: string, values: Record<string, string> = {}) => {
		const v = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], all)
		if (typeof v !== 'string') throw new Error(`no ${lang} text for ${key}`)
		return v.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => values[k] ?? '')
	}
}

async function inLanguage(page: Page, lang: Lang) {
	if ((await page.locator('html').getAttribute('lang')) !== lang) await page.getByTestId('language-switch').first().click()
	await expect(page.locator('html')).toHaveAttribute('lang', lang)
}

async function register(page: Page, lang: Lang, username: string) {
	await page.goto('/register')
	await inLanguage(page, lang)
	await page.locator('input[name="username"]').fill(username)
	await page.locator('input[name="password"]').fill('a-long-enough-pass')
	await page.locator('input[name="confirm"]').fill('a-long-enough-pass')
	await page.getByRole('button', { name: translator(lang)('register.submit') }).click()
	await expect(page).toHaveURL(/\/account$/)
}

/** Checkout page → draft → confirmed (open); returns the invoice's path. */
async function confirmCheckout(page: Page, t: ReturnType<typeof translator>) {
	await page.getByRole('button', { name: t('invoices.checkout.continue') }).click()
	await expect(page).toHaveURL(/\/account\/invoices\/\d+$/)
	await page.getByRole('button', { name: t('invoices.actions.issue') }).click()
	await expect(page.getByRole('link', { name: t('invoices.actions.payGateway') })).toBeVisible()
	return new URL(page.url()).pathname
}

async function payByReceipt(page: Page, browser: Browser, t: ReturnType<typeof translator>, invoicePath: string) {
	await page.getByRole('link', { name: t('invoices.actions.payReceipt') }).click()
	await expect(page).toHaveURL(/\/account\/wallet\?invoice=\d+$/)
	await expect(page.getByTestId('invoice-receipt')).toBeVisible()
	await expectNoHorizontalScroll(page)
	await page.getByRole('button', { name: t('invoices.receipt.start') }).click()
	await expect(page).toHaveURL(/\/account\/wallet\/\d+$/)
	await expect(page.getByTestId('payment-invoice')).toBeVisible()
	const paymentId = page.url().split('/').pop()!
	const png = await sharp({ create: { width: 320, height: 480, channels: 3, background: { r: Date.now() % 256, g: Number(paymentId) % 256, b: 90 } } }).png().toBuffer()
	await page.getByLabel(t('receipts.fields.file')).setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: png })
	await page.getByLabel(t('receipts.fields.trackingCode')).fill(`JRN-${Date.now()}`)
	await page.getByLabel(t('receipts.fields.last4')).fill('4321')
	await page.getByLabel(t('receipts.fields.paidAt')).fill(new Date(Date.now() + 210 * 60_000 - 5 * 60_000).toISOString().slice(0, 16))
	await page.getByRole('button', { name: t('receipts.page.send') }).click()
	await expect(page.getByTestId('waiting')).toBeVisible()
	await page.goto(invoicePath)
	await expect(page.getByTestId('invoice-receipt-status')).toHaveAttribute('data-status', 'submitted')

	// the admin approves from his phone
	const admin = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage()
	await login(admin, 'admin')
	await admin.goto(`/admin/payments/${paymentId}`)
	await admin.getByTestId('approve').click()
	// a fresh context reads English (the browser's language): the toast says it was credited
	await expect(admin.getByText(translator('en')('receipts.toast.approved'))).toBeVisible()
	await admin.context().close()

	await page.goto(invoicePath)
	await expect(page.getByText(t('invoices.status.paid'), { exact: true }).first()).toBeVisible()
}

async function payAtGateway(page: Page, t: ReturnType<typeof translator>, invoicePath: string) {
	await page.getByRole('link', { name: t('invoices.actions.payGateway') }).click()
	await expect(page).toHaveURL(/\/pay\/online\?invoice=\d+$/)
	await expect(page.getByTestId('invoice-total')).toBeVisible()
	await page.getByLabel(t('gateways.providers.zarinpal')).check()
	await page.getByRole('button', { name: t('gateways.start.submit') }).click()
	// the simulator's StartPay page (sim/zarinpal.ts): pay
	await page.getByRole('link', { name: 'Pay', exact: true }).click()
	await expect(page).toHaveURL(new RegExp(`${invoicePath}$`))
	await expect(page.getByText(t('invoices.status.paid'), { exact: true }).first()).toBeVisible()
}

/** Every subscription format answers, parsed; the browser page shows the status. */
async function checkSubscription(page: Page, t: ReturnType<typeof translator>) {
	await page.goto('/account/services')
	const card = page.locator('[data-testid^="service-"]').first()
	await expect(card).toBeVisible()
	await expectNoHorizontalScroll(page)
	const subUrl = await card.getByTestId('share-value').first().inputValue()
	const client = { 'user-agent': 'v2rayNG/1.9.30', accept: '*/*' }
	// the worker provisions the service on the panels; its links appear when it has
	await expect.poll(async () => Buffer.from(await (await page.request.get(`${subUrl}?format=base64`, { headers: client })).text(), 'base64').toString(), { timeout: 60_000 }).toMatch(/:\/\//)
	const links = await page.request.get(`${subUrl}?format=links`, { headers: client })
	expect((await links.text()).split('\n').filter(Boolean).length).toBeGreaterThan(0)
	expect(links.headers()['subscription-userinfo']).toMatch(/total=\d+/)
	for (const format of ['clash', 'clash-meta']) {
		const r = await page.request.get(`${subUrl}?format=${format}`, { headers: client })
		expect(r.headers()['content-type']).toMatch(/^text\/yaml/)
		expect((parseYaml(await r.text()) as { proxies: unknown[] }).proxies.length).toBeGreaterThan(0)
	}
	const singbox = await page.request.get(`${subUrl}?format=sing-box`, { headers: client })
	expect((JSON.parse(await singbox.text()) as { outbounds: unknown[] }).outbounds.length).toBeGreaterThan(0)
	await page.goto(subUrl)
	await expect(page.getByTestId('usage-summary')).toBeVisible()
	await page.goto('/account/services')
	const id = Number((await page.locator('[data-testid^="service-"]').first().getAttribute('data-testid'))!.replace('service-', ''))
	void t
	return id
}

async function journey(page: Page, browser: Browser, lang: Lang) {
	const t = translator(lang)
	await register(page, lang, `e2e_jr_${lang}_${Date.now() % 1_000_000}`)
	await page.goto('/')
	const cards = page.getByTestId('plan-card')
	const goldHref = await cards.filter({ hasText: 'طلایی سه‌ماهه' }).getByTestId('buy').getAttribute('href')
	const goldId = goldHref!.split('/').pop()!

	// buy the bronze plan: Persian by receipt, English at the gateway
	await cards.filter({ hasText: 'برنزی' }).getByTestId('buy').click()
	await expect(page).toHaveURL(/\/store\/checkout\/\d+$/)
	await expectNoHorizontalScroll(page)
	const first = await confirmCheckout(page, t)
	if (lang === 'fa') await payByReceipt(page, browser, t, first)
	else await payAtGateway(page, t, first)
	const serviceId = await checkSubscription(page, t)

	// renew, the other way
	await page.locator(`[data-testid="service-${serviceId}"]`).getByTestId('renew').click()
	await expect(page).toHaveURL(new RegExp(`/store/checkout/renew/${serviceId}$`))
	const renewal = await confirmCheckout(page, t)
	if (lang === 'fa') await payAtGateway(page, t, renewal)
	else await payByReceipt(page, browser, t, renewal)

	// upgrade to the three-month gold plan: a proration line for the unused bronze
	await page.goto(`/store/checkout/upgrade/${serviceId}?plan=${goldId}`)
	await expect(page.getByText(t('invoices.line.proration').split('(')[0]!.trim())).toBeVisible()
	const upgrade = await confirmCheckout(page, t)
	await payAtGateway(page, t, upgrade)
	await page.goto('/account/services')
	await expect(page.locator(`[data-testid="service-${serviceId}"]`)).toContainText('طلایی سه‌ماهه')

	// the PDF of the upgrade invoice
	await page.goto(upgrade)
	const href = await page.getByRole('link', { name: t('invoices.pdf') }).getAttribute('href')
	const pdf = await page.request.get(href!)
	expect(pdf.status()).toBe(200)
	expect(pdf.headers()['content-type']).toBe('application/pdf')
	expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-')
	await expectNoHorizontalScroll(page)
}

for (const lang of ['fa', 'en'] as const) {
	test(`store journey in ${lang}: register → buy → every format → renew → upgrade → PDF (390×844)`, async ({ page, browser }) => {
		test.setTimeout(240_000)
		await journey(page, browser, lang)
	})
}
