// A server-rendered SVG line (area) chart with a table fallback (see scale.ts), RTL-aware like
// BarChart. Usage: <LineChart data={[{ label, value }]} format={fn} />
import { useTranslation } from 'react-i18next'
import { ChartTable } from './chart-table'
import { EmptyNote } from './empty-note'
import { edgeAnchor, isEmptySeries, labelEvery, niceMax, scaled, xOf, type ChartPoint } from './scale'

const W = 600
const H = 160
const PAD = { top: 10, bottom: 22, side: 8 }

export function LineChart({ data, format, title, tableLabel, className }: {
	data: ChartPoint[]
	format: (v: number) => string
	title?: string
	tableLabel?: string
	className?: string
}) {
	const { t, i18n } = useTranslation()
	const rtl = i18n.dir() === 'rtl'
	// nothing yet (a new customer, a quiet router): say so inside the frame, label no amount
	const empty = isEmptySeries(data)
	const max = niceMax(Math.max(0, ...data.map((d) => d.value)))
	const plotH = H - PAD.top - PAD.bottom
	const pts = data.map((d, i) => [xOf(i, data.length, W, rtl, PAD.side), PAD.top + plotH - scaled(d.value, max, plotH)] as const)
	const line = pts.map(([x, y], i) => `${i ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`).join(' ')
	const base = PAD.top + plotH
	const area = pts.length ? `${line} L${pts[pts.length - 1][0].toFixed(1)},${base} L${pts[0][0].toFixed(1)},${base} Z` : ''
	const every = labelEvery(data.length, 6)
	return (
		<figure className={className}>
			<svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-label={title ?? t('charts.line')} data-testid="line-chart">
				{empty ? (
					<EmptyNote width={W} height={H - PAD.bottom} />
				) : (
					<>
						<line x1={PAD.side} x2={W - PAD.side} y1={PAD.top} y2={PAD.top} className="stroke-gray-200 dark:stroke-gray-800" strokeDasharray="3 3" />
						<text x={rtl ? PAD.side : W - PAD.side} y={PAD.top - 2 + 10} textAnchor="end" className="fill-gray-500 text-[10px] dark:fill-gray-400">{format(max)}</text>
					</>
				)}
				{area ? <path d={area} className="fill-accent/15" /> : null}
				{line ? <path d={line} className="fill-none stroke-accent" strokeWidth={2} strokeLinejoin="round" /> : null}
				{pts.map(([x, y], i) => (
					<g key={i} data-point={i}>
						<circle cx={x} cy={y} r={2.5} className="fill-accent">
							<title>{`${data[i].label}: ${format(data[i].value)}`}</title>
						</circle>
						{i % every === 0 || i === data.length - 1 ? (
							<text x={x} y={H - 6} textAnchor={edgeAnchor(i, data.length)} className="fill-gray-500 text-[10px] dark:fill-gray-400">{data[i].label}</text>
						) : null}
					</g>
				))}
			</svg>
			<ChartTable data={data} format={format} caption={tableLabel ?? t('charts.showTable')} />
		</figure>
	)
}
