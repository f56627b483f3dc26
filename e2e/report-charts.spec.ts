// Issue 14's charts tell the truth: on /admin/reports and /reseller/reports, in English and
// Persian, every chart draws the figures of its own table — as many bars as rows, each bar's
// label and tooltip those of its row, in time order (right to left in Persian), and each bar as
// tall (or long) as its row's amount on the axis the chart labels. Read from the drawn SVG
// geometry and text, never from the data the chart was given.
import { expect, test, type Page } from '@playwright/test'
import { login } from './fixtures'

/** "۱۲٬۳۴۵٫۵ تومان", "−1,200.50 USD" → 12345.5, -1200.5 */
function amount(text: string) {
	const latin = text
		.replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
		.replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
		.replace(/[,٬\s\u200e\u200f]/g, '')
		.replace('٫', '.')
		.replace('−', '-')
	const m = /-?\d+(\.\d+)?/.exec(latin)
	if (!m) throw new Error(`no amount in "${text}"`)
	return Number(m[0])
}

interface Drawn {
	title: string
	rows: Array<{ label: string; value: string }>
	bars: Array<{ index: number; x: number; y: number; width: number; height: number; tooltip: string; axisLabel: string | null }>
	grid: { y: number; label: string } | null
	viewWidth: number
	clipped: string[]
	rtl: boolean
}

/** Each chart on the page: its bars as drawn and its table's rows. */
async function readCharts(page: Page, testId: 'bar-chart' | 'share-bars'): Promise<Drawn[]> {
	return page.locator(`svg[data-testid="${testId}"]`).evaluateAll((svgs) =>
		svgs.map((svg) => {
			const figure = svg.closest('figure')!
			const num = (el: Element, a: string) => Number(el.getAttribute(a))
			const top = svg.querySelector('[data-grid="1"]')
			return {
				title: svg.getAttribute('aria-label') ?? '',
				rows: [...figure.querySelectorAll('tbody tr')].map((tr) => ({ label: tr.querySelector('th')!.textContent!.trim(), value: tr.querySelector('td')!.textContent!.trim() })),
				bars: [...svg.querySelectorAll('[data-bar]')].map((el) => {
					const rect = el.tagName === 'rect' ? el : el.querySelector('rect')!
					return {
						index: num(el, 'data-bar'),
						x: num(rect, 'x'), y: num(rect, 'y'), width: num(rect, 'width'), height: num(rect, 'height'),
						tooltip: rect.querySelector('title')!.textContent!.trim(),
						axisLabel: el.tagName === 'rect' ? null : (el.querySelector('text')?.textContent?.trim() ?? null),
					}
				}),
				grid: top ? { y: num(top.querySelector('line')!, 'y1'), label: top.querySelector('text')!.textContent!.trim() } : null,
				viewWidth: Number(svg.getAttribute('viewBox')!.split(' ')[2]),
				// every label drawn inside the chart (an edge label half outside is cut off)
				clipped: [...svg.querySelectorAll('text')].filter((t) => { const b = (t as SVGTextElement).getBBox(); return b.x < -0.5 || b.x + b.width > Number(svg.getAttribute('viewBox')!.split(' ')[2]) + 0.5 }).map((t) => t.textContent!),
				rtl: getComputedStyle(svg).direction === 'rtl',
			}
		}),
	)
}

function expectSameFigures(chart: Drawn, kind: 'bar-chart' | 'share-bars') {
	const name = chart.title
	expect(chart.bars.length, `${name}: a bar per table row`).toBe(chart.rows.length)
	expect(chart.clipped, `${name}: labels cut off at the edges`).toEqual([])
	// time (or rank) runs with the reading direction: first row at the start edge
	const byX = [...chart.bars].sort((a, b) => a.x - b.x).map((b) => b.index)
	const order = chart.rows.map((_, i) => i)
	if (kind === 'bar-chart') expect(byX, `${name}: bar order`).toEqual(chart.rtl ? order.reverse() : order)
	const values = chart.rows.map((r) => Math.max(0, amount(r.value)))
	const biggest = Math.max(0, ...values)
	for (const bar of chart.bars) {
		const row = chart.rows[bar.index]!
		expect(bar.tooltip, `${name}: bar ${bar.index}'s tooltip`).toBe(`${row.label}: ${row.value}`)
		if (bar.axisLabel != null) expect(bar.axisLabel, `${name}: bar ${bar.index}'s axis label`).toBe(row.label)
	}
	if (kind === 'bar-chart') {
		// the top gridline is labelled with the axis maximum; the bars stand on one baseline
		expect(chart.grid, `${name}: top gridline`).not.toBeNull()
		const axisMax = amount(chart.grid!.label)
		expect(axisMax, `${name}: the axis reaches the largest row`).toBeGreaterThanOrEqual(biggest)
		const baseline = chart.bars[0]!.y + chart.bars[0]!.height
		const plot = baseline - chart.grid!.y
		for (const bar of chart.bars) {
			expect(bar.y + bar.height, `${name}: bar ${bar.index} on the baseline`).toBeCloseTo(baseline, 3)
			expect(bar.height, `${name}: bar ${bar.index}'s height for ${chart.rows[bar.index]!.value}`).toBeCloseTo((values[bar.index]! / axisMax) * plot, 1)
		}
	} else {
		for (const bar of chart.bars) {
			const want = biggest > 0 ? (values[bar.index]! / biggest) * chart.viewWidth : 0
			expect(bar.width, `${name}: bar ${bar.index}'s length for ${chart.rows[bar.index]!.value}`).toBeCloseTo(want, 1)
			expect(bar.x, `${name}: bar ${bar.index} grows from the start edge`).toBeCloseTo(chart.rtl ? chart.viewWidth - want : 0, 1)
		}
	}
}

async function expectChartsMatchTables(page: Page, where: string) {
	const bars = await readCharts(page, 'bar-chart')
	const shares = await readCharts(page, 'share-bars')
	expect(bars.length, `${where}: per-day and per-month charts`).toBe(2)
	expect(shares.length, `${where}: breakdown charts`).toBeGreaterThanOrEqual(2)
	for (const c of bars) expectSameFigures(c, 'bar-chart')
	for (const c of shares) expectSameFigures(c, 'share-bars')
	// the demo's sale today shows in the figures: a bar above zero and a breakdown row
	expect(bars.some((c) => c.bars.some((b) => b.height > 0)), `${where}: some revenue drawn`).toBe(true)
	expect(shares.every((c) => c.rows.length > 0), `${where}: each breakdown has rows`).toBe(true)
}

async function setLanguage(page: Page, lang: 'en' | 'fa') {
	if ((await page.locator('html').getAttribute('lang')) !== lang) await page.getByTestId('language-switch').click()
	await expect(page.locator('html')).toHaveAttribute('lang', lang)
}

/** A sale today, bought in the wizard like a reseller does, so the ledger has revenue to chart. */
async function sellOne(page: Page) {
	await page.goto('/reseller/customers/new')
	await page.locator('input[name="nodeIds"]').first().check()
	await page.locator('input[name="gb"]').fill('3')
	await page.locator('input[name="days"]').fill('10')
	await page.locator('input[name="username"]').fill(`chart_${Date.now().toString(36).slice(-5)}`)
	await page.locator('form:has(input[name="intent"][value="quote"]) button[type="submit"]').click()
	await page.getByTestId('quote').getByRole('button').first().click()
	await expect(page.getByTestId('usage-chart')).toBeVisible()
}

test('report charts draw the same figures as their tables (reseller and admin, en and fa)', async ({ page }) => {
	test.setTimeout(90_000)
	await login(page, 'reseller')
	await expect(page).toHaveURL(/\/reseller$/)
	await setLanguage(page, 'en')
	await sellOne(page)
	for (const lang of ['en', 'fa'] as const) {
		await setLanguage(page, lang)
		expect((await page.goto('/reseller/reports'))?.status()).toBe(200)
		await expectChartsMatchTables(page, `/reseller/reports (${lang})`)
	}
	await setLanguage(page, 'en')

	await page.context().clearCookies()
	await login(page, 'admin')
	await expect(page).toHaveURL(/\/admin$/)
	for (const lang of ['en', 'fa'] as const) {
		await setLanguage(page, lang)
		await page.goto('/admin/reports')
		// one view per currency the ledger holds; the reseller's sale is in one of them
		const currencies = await page.locator('select[name="currency"] option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))
		let drawn = false
		for (const currency of currencies.length ? currencies : ['']) {
			expect((await page.goto(`/admin/reports${currency ? `?currency=${currency}` : ''}`))?.status()).toBe(200)
			const bars = await readCharts(page, 'bar-chart')
			for (const c of bars) expectSameFigures(c, 'bar-chart')
			for (const c of await readCharts(page, 'share-bars')) expectSameFigures(c, 'share-bars')
			drawn ||= bars.some((c) => c.bars.some((b) => b.height > 0))
		}
		expect(drawn, `/admin/reports (${lang}): the sale is drawn`).toBe(true)
	}
	await setLanguage(page, 'en')
})
