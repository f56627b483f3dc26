import { useTranslation } from 'react-i18next'

/** Drawn across the plot of a chart with nothing yet (no points, or all zero) in place of an axis
 * scaled to an amount nobody had; the frame and the day labels stay so the period is still shown. */
export function EmptyNote({ width, height }: { width: number; height: number }) {
	const { t } = useTranslation()
	return (
		<text data-testid="chart-empty" x={width / 2} y={height / 2} textAnchor="middle" dominantBaseline="middle" className="fill-gray-500 text-sm dark:fill-gray-400">
			{t('charts.empty')}
		</text>
	)
}
