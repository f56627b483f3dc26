// Charts with nothing (or only refunds) to draw, as the server renders them: a translated
// "no data yet" or a zero axis — never an axis labelled with an amount nobody had ("0.1 Toman",
// the old unit axis of one rial shown in tomans).
import { createInstance } from 'i18next'
import type { ReactElement } from 'react'
import { renderToString } from 'react-dom/server'
import { I18nextProvider, initReactI18next } from 'react-i18next'
import { describe, expect, test } from 'vitest'
import { BarChart, LineChart, ShareBars, type ChartPoint } from '~/components/charts'
import { formatBytes } from '~/utils/format'
import { i18nOptions, type Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'

async function render(lang: Lang, el: ReactElement) {
	const i18n = createInstance()
	await i18n.use(initReactI18next).init({ ...i18nOptions, lng: lang })
	return renderToString(<I18nextProvider i18n={i18n}>{el}</I18nextProvider>)
}
const toman = (lang: Lang) => (v: number) => formatMoney(lang, BigInt(Math.round(v)), 'IRR', 'IRT')
const bytes = (lang: Lang) => (v: number) => formatBytes(lang, BigInt(Math.round(v)))
const days = (values: number[]): ChartPoint[] => values.map((value, i) => ({ label: `d${i + 1}`, value }))
const EMPTY = { en: 'No data yet', fa: 'هنوز داده‌ای نیست' } as const
/** The amounts drawn on the y axis: every <text> in the SVG but the day labels and the empty note. */
const axisAmounts = (html: string) =>
	[...html.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).filter((t) => !/^d\d+$/.test(t) && t !== EMPTY.en && t !== EMPTY.fa)

describe.each(['en', 'fa'] as const)('empty charts in %s', (lang) => {
	test.each([
		['no points', []],
		['only zero days', [0, 0, 0, 0, 0, 0, 0]],
	])('BarChart with %s says so inside its frame and labels no amount', async (_, values) => {
		const html = await render(lang, <BarChart data={days(values)} format={toman(lang)} title="revenue" />)
		expect(html).toMatch(new RegExp(`<svg[^]*data-testid="chart-empty"[^>]*>${EMPTY[lang]}</text>[^]*</svg>`))
		expect(axisAmounts(html)).toEqual([])
		expect(html).not.toMatch(/0[.٫]1|۰٫۱/)
	})

	test('LineChart and ShareBars with only zeros say so too', async () => {
		const line = await render(lang, <LineChart data={days([0, 0, 0])} format={bytes(lang)} title="hours" />)
		expect(line).toContain(EMPTY[lang])
		expect(axisAmounts(line)).toEqual([])
		const share = await render(lang, <ShareBars data={[]} format={toman(lang)} title="By plan" nameLabel="name" valueLabel="amount" />)
		expect(share).toContain(EMPTY[lang])
		expect(share).not.toContain('<table')
	})

	test('a period with only refunds keeps its table and a zero axis, no made-up top', async () => {
		const html = await render(lang, <BarChart data={days([0, -5000, 0])} format={toman(lang)} title="revenue" />)
		expect(html).not.toContain(EMPTY[lang])
		expect(axisAmounts(html)).toEqual([toman(lang)(0)])
		expect(html).toContain(toman(lang)(-5000)) // the refund is in the table
		expect(html).not.toMatch(/0[.٫]1|۰٫۱/)
	})
})

test('an axis to a single unit is not split in halves', async () => {
	const html = await render('en', <BarChart data={days([1, 0])} format={toman('en')} title="revenue" />)
	expect(axisAmounts(html)).toEqual(['0.1 Toman']) // the top: the one rial someone paid
	expect(html).not.toContain('0.05')
})

test('real figures still get a round top and a half line', async () => {
	const html = await render('en', <BarChart data={days([120_000, 30_000])} format={toman('en')} title="revenue" />)
	expect(axisAmounts(html)).toEqual(['10,000 Toman', '20,000 Toman'])
})

test('a lone point has its label centred under it, in both directions', async () => {
	for (const lang of ['en', 'fa'] as const) {
		const bar = await render(lang, <BarChart data={days([3])} format={bytes(lang)} />)
		expect(bar).toMatch(/<text[^>]*text-anchor="middle"[^>]*>d1<\/text>/)
		const line = await render(lang, <LineChart data={days([3])} format={bytes(lang)} />)
		expect(line).toMatch(/<text[^>]*text-anchor="middle"[^>]*>d1<\/text>/)
	}
})
