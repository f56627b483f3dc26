import type { ChartPoint } from './scale'

/** The chart's data as a table: for screen readers, for copying, and when SVG is not wanted. */
export function ChartTable({ data, format, caption, valueLabel }: { data: ChartPoint[]; format: (v: number) => string; caption: string; valueLabel?: string }) {
	return (
		<details className="mt-2 text-xs text-gray-600 dark:text-gray-400">
			<summary className="cursor-pointer select-none">{caption}</summary>
			<table className="mt-1 w-full text-start tabular-nums">
				<tbody>
					{data.map((d, i) => (
						<tr key={i} className="border-t border-gray-100 dark:border-gray-800">
							<th scope="row" className="py-0.5 text-start font-normal">{d.label}</th>
							<td className="py-0.5 text-end" aria-label={valueLabel}>{format(d.value)}</td>
						</tr>
					))}
				</tbody>
			</table>
		</details>
	)
}
