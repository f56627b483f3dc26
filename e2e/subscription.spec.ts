// /sub/{token} on a phone (390×844) in dark mode, against the production build: the link box is
// readable (not white on white), Copy works, the one-tap import links are there, the page fits;
// VPN clients get YAML / JSON / base64 by User-Agent through the real server (compression and
// the raw fast path included); an unknown token is a translated page with status 404.
import { expect, test, type Page } from '@playwright/test'
import { parse as parseYaml } from 'yaml'
import { login } from './fixtures'

test.use({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' })

test.describe.configure({ mode: 'serial' })

let subUrl = ''
/** A customer of the demo reseller on Demo Marzban, made once through the wizard; his /sub link. */
async function someSubUrl(page: Page) {
	if (subUrl) return subUrl
	await login(page, 'reseller')
	await expect(page).toHaveURL(/\/reseller$/)
	await page.goto('/reseller/customers/new')
	await page.getByLabel('Demo Marzban').check()
	await page.getByLabel('Traffic (GB)').fill('10')
	await page.getByLabel('Days', { exact: true }).fill('30')
	await page.getByLabel('Username').fill(`e2e_sub_${Date.now().toString(36).slice(-5)}`)
	await page.getByRole('button', { name: 'See the price' }).click()
	await page.getByRole('button', { name: 'Confirm and create' }).click()
	await expect(page.getByTestId('order-status')).toHaveText('Ready', { timeout: 30_000 })
	subUrl = await page.getByTestId('sub-link').getByTestId('share-value').inputValue()
	expect(subUrl).toMatch(/\/sub\/[\w-]{20,}$/)
	await page.context().clearCookies()
	return subUrl
}

const rgb = (s: string) => (s.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number)
/** WCAG relative luminance of an rgb() colour. */
const luminance = (s: string) => {
	const [r, g, b] = rgb(s).map((c) => {
		const v = c / 255
		return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
	})
	return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
}
const contrast = (a: string, b: string) => {
	const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
	return (hi! + 0.05) / (lo! + 0.05)
}

test('the status page in dark mode: readable link box, copy, import links, language switch, fits the phone', async ({ page, context }) => {
	test.setTimeout(90_000)
	await context.grantPermissions(['clipboard-read', 'clipboard-write'])
	const url = await someSubUrl(page)
	await page.goto(url)
	await expect(page.locator('html')).toHaveClass(/dark/)
	const box = page.getByTestId('share-value').first()
	await expect(box).toHaveValue(url)
	// Tailwind 4 computes oklch(); a 1-pixel canvas turns any CSS colour into rgb().
	const colours = await box.evaluate((el) => {
		const toRgb = (css: string) => {
			const ctx = Object.assign(document.createElement('canvas'), { width: 1, height: 1 }).getContext('2d')!
			ctx.fillStyle = css
			ctx.fillRect(0, 0, 1, 1)
			const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data
			return `rgb(${r}, ${g}, ${b})`
		}
		return { fg: toRgb(getComputedStyle(el).color), bg: toRgb(getComputedStyle(el).backgroundColor) }
	})
	expect(contrast(colours.fg, colours.bg), `text ${colours.fg} on ${colours.bg}`).toBeGreaterThan(4.5)
	expect(luminance(colours.bg)).toBeLessThan(0.2) // a dark box on the dark page, not a white slab
	await expect(page.getByTestId('usage-summary')).toBeVisible()
	await expect(page.getByTestId('days-left')).toHaveText(/day|Expired/)
	await page.getByTestId('copy').first().click()
	await expect(page.getByTestId('copy').first()).toHaveText('Copied')
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url)
	await expect(page.getByTestId('import-v2rayng')).toHaveAttribute('href', `v2rayng://install-config?url=${encodeURIComponent(url)}#${await page.getByTestId('sub-username').innerText()}`)
	await expect(page.getByTestId('import-singbox')).toHaveAttribute('href', /^sing-box:\/\/import-remote-profile\?url=/)
	const m = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, client: document.scrollingElement!.clientWidth }))
	expect(m.scroll).toBeLessThanOrEqual(m.client)
	// The switch revalidates the page through its own .data request: the page must survive it.
	await page.getByTestId('language-switch').click()
	await expect(page.locator('html')).toHaveAttribute('lang', 'fa')
	await expect(page.getByRole('heading', { name: 'اشتراک شما' })).toBeVisible()
	await expect(page.getByTestId('share-value').first()).toHaveValue(url)
})

test('VPN clients get their format from the production server', async ({ page, request }) => {
	test.setTimeout(90_000)
	const url = await someSubUrl(page)
	const clash = await request.get(url, { headers: { 'user-agent': 'ClashMetaForAndroid/2.11.1.Meta', accept: '*/*' } })
	expect(clash.headers()['content-type']).toMatch(/^text\/yaml/)
	expect(clash.headers()['subscription-userinfo']).toMatch(/^upload=0; download=\d+; total=\d+; expire=\d+$/)
	expect((parseYaml(await clash.text()) as { 'proxy-groups': unknown[] })['proxy-groups'].length).toBeGreaterThan(0)
	const singbox = await request.get(url, { headers: { 'user-agent': 'SFA/1.12.8', accept: '*/*' } })
	expect(singbox.headers()['content-type']).toMatch(/^application\/json/)
	expect((JSON.parse(await singbox.text()) as { route: { final: string } }).route.final).toBe('Proxy')
	const plain = await request.get(`${url}?format=links`, { headers: { 'user-agent': 'v2rayNG/1.9.30', accept: '*/*' } })
	expect(plain.headers()['profile-title']).toMatch(/^base64:/)
	expect(plain.headers()['content-disposition']).toMatch(/^attachment; filename=/)
})

test('an unknown token: a translated page, status 404', async ({ page }) => {
	const res = await page.goto(`/sub/${'z'.repeat(32)}`)
	expect(res?.status()).toBe(404)
	await expect(page.getByTestId('sub-not-found')).toContainText('This subscription link does not work')
	await page.getByTestId('language-switch').click()
	await expect(page.locator('html')).toHaveAttribute('lang', 'fa')
	await expect(page.getByTestId('sub-not-found')).toContainText('این لینک اشتراک کار نمی‌کند')
})

test('/account/services for the end user fits the phone', async ({ page }) => {
	await login(page, 'customer')
	await expect(page).toHaveURL(/\/account$/)
	await page.goto('/account/services')
	await expect(page.getByRole('heading', { name: 'My services' })).toBeVisible()
	const m = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, client: document.scrollingElement!.clientWidth }))
	expect(m.scroll).toBeLessThanOrEqual(m.client)
})
