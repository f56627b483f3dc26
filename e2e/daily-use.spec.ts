// Issue 15 on a phone (360×740), in English and Persian: every admin and reseller screen fits
// without horizontal scroll (measured on document.scrollingElement), links copy with feedback and
// fall back to a selectable field where the browser has no share sheet, wallet rows link to
// their customer, and a destructive action asks first with JavaScript on (dialog) and off (the
// confirmation step). Phone screenshots for the README are written to docs/screenshots/.
import { expect, test, type Page } from '@playwright/test'
import { login } from './fixtures'

test.use({ viewport: { width: 360, height: 740 } })

async function noHorizontalScroll(page: Page, where: string) {
	const m = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, client: document.scrollingElement!.clientWidth }))
	expect(m.scroll, `${where} scrolls sideways`).toBeLessThanOrEqual(m.client)
	// no table cut off inside its card: a table is never wider than its own box
	const cut = await page.evaluate(() => [...document.querySelectorAll('table')].filter((t) => t.getBoundingClientRect().width > (t.parentElement?.clientWidth ?? 0) + 1).length)
	expect(cut, `${where} has a cut-off table`).toBe(0)
}

async function setLanguage(page: Page, lang: 'en' | 'fa') {
	if ((await page.locator('html').getAttribute('lang')) !== lang) await page.getByTestId('language-switch').click()
	await expect(page.locator('html')).toHaveAttribute('lang', lang)
}

/** The e2e data has no customer for the demo reseller: make one (plain forms) unless there is one. */
async function openACustomer(page: Page) {
	await page.goto('/reseller/customers')
	if (!(await page.getByTestId('customer-list').count())) {
		await page.goto('/reseller/customers/new')
		await page.locator('input[name="nodeIds"]').first().check()
		await page.locator('input[name="gb"]').fill('2')
		await page.locator('input[name="days"]').fill('7')
		await page.locator('input[name="username"]').fill(`daily_${Date.now().toString(36).slice(-5)}`)
		await page.locator('button[name="intent"][value="quote"], button[type="submit"]').filter({ hasText: /See the price|قیمت/ }).click()
		await page.getByTestId('quote').getByRole('button').first().click()
		await expect(page.getByTestId('usage-chart')).toBeVisible()
		return
	}
	await page.getByTestId('customer-list').getByRole('link').first().click()
	await expect(page.getByTestId('usage-chart')).toBeVisible()
}

const RESELLER_PAGES = ['/reseller', '/reseller/customers', '/reseller/customers/new', '/reseller/wallet', '/reseller/notifications', '/reseller/reports', '/reseller/statements']
const ADMIN_PAGES = [
	'/admin', '/admin/nodes', '/admin/nodes/new', '/admin/resellers', '/admin/resellers/new', '/admin/plans', '/admin/payment-methods', '/admin/users', '/admin/jobs', '/admin/settings', '/admin/notifications',
	'/admin/customers', '/admin/categories', '/admin/coupons', '/admin/invoices', '/admin/payments', '/admin/gateways', '/admin/routers', '/admin/reports', '/admin/audit', '/admin/backups', '/admin/telegram',
]

for (const lang of ['en', 'fa'] as const) {
	test(`reseller screens at 360 px (${lang}): fit, copy, share fallback, wallet links`, async ({ page, context }) => {
		test.setTimeout(90_000)
		await context.grantPermissions(['clipboard-read', 'clipboard-write'])
		await login(page, 'reseller')
		await expect(page).toHaveURL(/\/reseller$/)
		await setLanguage(page, lang)
		for (const path of RESELLER_PAGES) {
			expect((await page.goto(path))?.status(), path).toBe(200)
			await noHorizontalScroll(page, path)
		}
		if (lang === 'en') await page.screenshot({ path: 'docs/screenshots/phone-reseller-customers.png' })
		await openACustomer(page)
		await expect(page.getByTestId('usage-chart').locator('svg[data-testid="bar-chart"]')).toBeVisible()
		await expect(page.getByTestId('days-left').first()).toBeVisible()
		await noHorizontalScroll(page, 'customer detail')
		// copy with feedback; no share sheet in this browser, so the fallback is the selectable field
		const sub = page.getByTestId('sub-link')
		await expect(sub.getByTestId('share-value')).toHaveValue(/\/sub\/[\w-]{20,}$/)
		await expect(sub.getByRole('button', { name: lang === 'en' ? 'Share' : /اشتراک/ })).toHaveCount(0)
		await sub.getByTestId('copy').click()
		await expect(sub.getByTestId('copy')).not.toHaveText(lang === 'en' ? 'Copy' : /^کپی$/)
		expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/\/sub\//)
		if (lang === 'en') await page.screenshot({ path: 'docs/screenshots/phone-customer.png', fullPage: false })
		// the wallet names the customer of each order row and links to him
		await page.goto('/reseller/wallet')
		await noHorizontalScroll(page, 'wallet')
		const link = page.getByTestId('ledger-customer').first()
		const name = await link.innerText()
		await link.click()
		await expect(page.getByRole('heading', { name })).toBeVisible()
		if (lang === 'fa') {
			await page.goto('/reseller/wallet')
			await page.screenshot({ path: 'docs/screenshots/phone-wallet-fa.png' })
			await setLanguage(page, 'en')
		}
	})

	test(`admin screens at 360 px (${lang}): fit, tables as cards`, async ({ page }) => {
		test.setTimeout(90_000)
		await login(page, 'admin')
		await expect(page).toHaveURL(/\/admin$/)
		await setLanguage(page, lang)
		for (const path of ADMIN_PAGES) {
			expect((await page.goto(path))?.status(), path).toBe(200)
			await noHorizontalScroll(page, path)
		}
		// the detail pages behind the lists
		await page.goto('/admin/resellers')
		await page.getByTestId('data-table').getByRole('link').first().click()
		await noHorizontalScroll(page, 'reseller detail')
		await page.goto(`${page.url()}/ledger`)
		await noHorizontalScroll(page, 'reseller ledger')
		await page.goto('/admin/nodes')
		await page.getByTestId('data-table').getByRole('link').first().click()
		await noHorizontalScroll(page, 'node detail')
		await page.goto('/admin')
		await expect(page.getByTestId('node-health')).toBeVisible()
		if (lang === 'en') await page.screenshot({ path: 'docs/screenshots/phone-admin-dashboard.png' })
		if (lang === 'fa') await setLanguage(page, 'en')
	})
}

test('disable asks first with JavaScript on: the dialog, and Cancel does nothing', async ({ page }) => {
	await login(page, 'reseller')
	await expect(page).toHaveURL(/\/reseller$/)
	await openACustomer(page)
	const url = page.url()
	await page.getByRole('button', { name: 'Delete', exact: true }).click()
	await expect(page.getByTestId('confirm-dialog')).toBeVisible()
	await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Cancel' }).click()
	await expect(page.getByTestId('confirm-dialog')).toHaveCount(0)
	expect(page.url()).toBe(url)
})

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false })

	test('delete and disable go through a confirmation step; Cancel goes back, Confirm acts', async ({ page }) => {
		await login(page, 'reseller')
		await openACustomer(page)
		const url = page.url()
		await page.getByRole('button', { name: 'Delete', exact: true }).click()
		await expect(page).toHaveURL(/\/confirm\?/)
		await expect(page.getByTestId('confirm-step')).toContainText('Delete this customer?')
		await page.getByTestId('confirm-cancel').click()
		await expect(page).toHaveURL(url)
		// disable, confirmed on the step page, then enabled again (enable is not destructive)
		await page.getByRole('button', { name: 'Disable', exact: true }).click()
		await expect(page.getByTestId('confirm-step')).toContainText('Disable this customer?')
		await page.getByTestId('confirm-submit').click()
		await expect(page).toHaveURL(url)
		await expect(page.getByRole('button', { name: 'Enable', exact: true })).toBeVisible()
		await page.getByRole('button', { name: 'Enable', exact: true }).click()
		await expect(page.getByRole('button', { name: 'Disable', exact: true })).toBeVisible()
	})
})
