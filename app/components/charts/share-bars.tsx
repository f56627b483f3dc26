// A server-rendered SVG of horizontal bars (one per row: a plan, a reseller, a node) with its
// table always beside it — the table is the content, the bars are a reading aid. Negative values
// (net refunds) draw no bar but keep their row. RTL: bars grow from the right edge.
import { useTranslation } from 'react-i18next'
import { isEmptySeries, scaled, type ChartPoint } from './scale'

const W = 300
const ROW = 18

export function ShareBars({ data, format, title, nameLabel, valueLabel }: { data: ChartPoint[]; format: (v: number) => string; title: string; nameLabel: string; valueLabel: string }) {
	const { t, i18n } = useTranslation()
	const rtl = i18n.dir() === 'rtl'
	const max = Math.max(0, ...data.map((d) => d.value))
	if (isEmptySeries(data)) {
		return (
			<figure>
				<figcaption className="mb-1 text-sm font-semibold">{title}</figcaption>
				<p data-testid="chart-empty" className="py-2 text-sm text-gray-500 dark:text-gray-400">{t('charts.empty')}</p>
			</figure>
		)
	}
	return (
		<figure>
			<figcaption className="mb-1 text-sm font-semibold">{title}</figcaption>
			{data.length ? (
				<svg viewBox={`0 0 ${W} ${data.length * ROW}`} className="h-auto w-full" role="img" aria-label={title} data-testid="share-bars">
					{data.map((d, i) => {
						const w = scaled(d.value, max, W)
						return (
							<rect key={i} data-bar={i} x={rtl ? W - w : 0} y={i * ROW + 3} width={w} height={ROW - 6} rx={3} className="fill-accent">
								<title>{`${d.label}: ${format(d.value)}`}</title>
							</rect>
						)
					})}
				</svg>
			) : null}
			<table className="mt-2 w-full text-sm tabular-nums">
				<thead>
					<tr className="text-xs text-gray-500 dark:text-gray-400">
						<th scope="col" className="py-1 text-start font-medium">{nameLabel}</th>
						<th scope="col" className="py-1 text-end font-medium">{valueLabel}</th>
					</tr>
				</thead>
				<tbody>
					{data.map((d, i) => (
						<tr key={i} className="border-t border-gray-100 dark:border-gray-800">
							<th scope="row" className="py-1 text-start font-normal">{d.label}</th>
							<td className="py-1 text-end">{format(d.value)}</td>
						</tr>
					))}
				</tbody>
			</table>
		</figure>
	)
}
