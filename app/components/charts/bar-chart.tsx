// A server-rendered SVG bar chart with a table fallback (see scale.ts). RTL: the first bar is at
// the right edge, as time runs in Persian. Usage: <BarChart data={[{ label, value }]} format={fn} />
import { useTranslation } from 'react-i18next'
import { ChartTable } from './chart-table'
import { EmptyNote } from './empty-note'
import { edgeAnchor, gridFractions, isEmptySeries, labelEvery, niceMax, scaled, type ChartPoint } from './scale'

const W = 600
const H = 180
const PAD = { top: 10, bottom: 22, side: 4 }

export function BarChart({ data, format, title, tableLabel, highlightLast = false, className }: {
	data: ChartPoint[]
	format: (v: number) => string
	/** Read by screen readers as the image's name. */
	title?: string
	/** The summary of the table fallback ("Show as table"). */
	tableLabel?: string
	/** Draw the last bar (today) in a lighter tone: it is still growing. */
	highlightLast?: boolean
	className?: string
}) {
	const { t, i18n } = useTranslation()
	const rtl = i18n.dir() === 'rtl'
	// nothing yet (a new customer, a quiet router): say so inside the frame, label no amount
	const empty = isEmptySeries(data)
	const max = niceMax(Math.max(0, ...data.map((d) => d.value)))
	const plotH = H - PAD.top - PAD.bottom
	const slot = data.length ? (W - PAD.side * 2) / data.length : 0
	const barW = Math.max(1, slot * 0.7)
	const every = labelEvery(data.length)
	return (
		<figure className={className}>
			<svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-label={title ?? t('charts.bar')} data-testid="bar-chart">
				{/* data-grid / data-bar: e2e/report-charts.spec.ts reads the drawn figures back against the table */}
				{empty ? <EmptyNote width={W} height={H - PAD.bottom} /> : null}
				{empty ? null : gridFractions(max).map((f) => (
					<g key={f} data-grid={f}>
						<line x1={PAD.side} x2={W - PAD.side} y1={PAD.top + plotH * (1 - f)} y2={PAD.top + plotH * (1 - f)} className="stroke-gray-200 dark:stroke-gray-800" strokeDasharray="3 3" />
						<text x={rtl ? PAD.side : W - PAD.side} y={PAD.top + plotH * (1 - f) - 2} textAnchor="end" className="fill-gray-500 text-[10px] dark:fill-gray-400">
							{format(max * f)}
						</text>
					</g>
				))}
				{data.map((d, i) => {
					const h = scaled(d.value, max, plotH)
					const pos = rtl ? data.length - 1 - i : i
					const x = PAD.side + pos * slot + (slot - barW) / 2
					return (
						<g key={i} data-bar={i}>
							<rect x={x} y={PAD.top + plotH - h} width={barW} height={h} rx={Math.min(3, barW / 3)} className={highlightLast && i === data.length - 1 ? 'fill-accent/50' : 'fill-accent'}>
								<title>{`${d.label}: ${format(d.value)}`}</title>
							</rect>
							{i % every === 0 || i === data.length - 1 ? (
								<text x={x + barW / 2} y={H - 6} textAnchor={edgeAnchor(i, data.length)} className="fill-gray-500 text-[10px] dark:fill-gray-400">{d.label}</text>
							) : null}
						</g>
					)
				})}
			</svg>
			<ChartTable data={data} format={format} caption={tableLabel ?? t('charts.showTable')} />
		</figure>
	)
}
