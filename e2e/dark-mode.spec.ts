// Dark mode stays readable (issue 15: "white on white" link boxes, white cards on a dark page):
// with the browser asking for dark, the screens people use most are measured — every text, form
// field and chart label against what it is painted on, WCAG AA (4.5:1, 3:1 for large text) —
// and the cards really are dark. Computed colours, not a screenshot diff (e2e/contrast.ts).
import { expect, test, type Page } from '@playwright/test'
import { lowContrast } from './contrast'
import { login } from './fixtures'

test.use({ colorScheme: 'dark' })

async function setLanguage(page: Page, lang: 'en' | 'fa') {
	if ((await page.locator('html').getAttribute('lang')) !== lang) await page.getByTestId('language-switch').first().click()
	await expect(page.locator('html')).toHaveAttribute('lang', lang)
}

async function expectReadable(page: Page, where: string) {
	await expect(page.locator('html')).toHaveClass(/\bdark\b/)
	// open the chart tables: their rows are text too
	await page.locator('details:has(table)').evaluateAll((ds) => ds.forEach((d) => ((d as HTMLDetailsElement).open = true)))
	expect(await lowContrast(page), `${where}: text below WCAG AA in dark mode`).toEqual([])
	// a card is a dark surface on the dark page, not a white box
	// (rounded-xl, or md:rounded-xl on a table's card, with a fill of its own)
	const cards = await page.locator('main [class*="rounded-xl"]').evaluateAll((els) => els.map((el) => getComputedStyle(el).backgroundColor).filter((c) => c !== 'rgba(0, 0, 0, 0)'))
	expect(cards.length, `${where}: cards`).toBeGreaterThan(0)
	const light = await page.evaluate((colors) => {
		const ctx = Object.assign(document.createElement('canvas'), { width: 1, height: 1 }).getContext('2d')!
		return colors.filter((c) => {
			ctx.fillStyle = '#000'
			ctx.fillRect(0, 0, 1, 1)
			ctx.fillStyle = c
			ctx.fillRect(0, 0, 1, 1)
			const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data
			return (r! + g! + b!) / 3 > 128
		})
	}, cards)
	expect(light, `${where}: light cards on the dark page`).toEqual([])
}

for (const [lang, size] of [['en', { width: 1280, height: 800 }], ['fa', { width: 390, height: 844 }]] as const) {
	test.describe(`${lang} at ${size.width} px`, () => {
		test.use({ viewport: size })

		test(`admin dashboard and reports read well in dark mode (${lang})`, async ({ page }) => {
			await login(page, 'admin')
			await expect(page).toHaveURL(/\/admin$/)
			await setLanguage(page, lang)
			for (const path of ['/admin', '/admin/reports', '/admin/nodes']) {
				expect((await page.goto(path))?.status(), path).toBe(200)
				await expectReadable(page, path)
			}
			await setLanguage(page, 'en')
		})

		test(`a customer's page and his /sub link box read well in dark mode (${lang})`, async ({ page }) => {
			await login(page, 'reseller')
			await expect(page).toHaveURL(/\/reseller$/)
			await setLanguage(page, lang)
			await page.goto('/reseller/customers')
			const list = page.getByTestId('customer-list')
			if (!(await list.count())) {
				// the e2e data starts without customers: buy one in the wizard
				await page.goto('/reseller/customers/new')
				await page.locator('input[name="nodeIds"]').first().check()
				await page.locator('input[name="gb"]').fill('2')
				await page.locator('input[name="days"]').fill('7')
				await page.locator('input[name="username"]').fill(`dark_${Date.now().toString(36).slice(-5)}`)
				await page.locator('form:has(input[name="intent"][value="quote"]) button[type="submit"]').click()
				await page.getByTestId('quote').getByRole('button').first().click()
			} else {
				await list.getByRole('link').first().click()
			}
			await expect(page.getByTestId('usage-chart')).toBeVisible()
			await expectReadable(page, 'customer detail')
			const sub = await page.getByTestId('sub-link').getByTestId('share-value').inputValue()
			await page.goto(new URL(sub).pathname)
			await expect(page.getByTestId('share-value').first()).toBeVisible()
			// the link box itself: its text against its own fill
			expect(await lowContrast(page, '[data-testid="share-link"]'), '/sub link box').toEqual([])
			await expectReadable(page, '/sub page')
			await page.goto('/reseller')
			await setLanguage(page, 'en')
		})
	})
}
