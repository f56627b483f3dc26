import { Form, Link, useLocation } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { inputClass } from '../forms'
import { Button } from './button'
import { cn } from './cn'
import { EmptyState } from './empty-state'

export interface Column<T> {
	key: string
	header: ReactNode
	cell: (row: T) => ReactNode
	className?: string
	/** The cell's label when rows become cards on phones; defaults to the header when it is text. */
	label?: string
}

// Below md each row is a card and each cell a "label — value" line (the label from data-label):
// nothing is cut off inside a scrolling card at 360 px (issue 15).
export const CARD_ROW = 'max-md:block max-md:space-y-1 max-md:rounded-xl max-md:bg-white max-md:p-3 max-md:shadow-sm max-md:ring-1 max-md:ring-gray-200 dark:max-md:bg-gray-900 dark:max-md:ring-gray-800'
export const CARD_CELL =
	'max-md:flex max-md:min-w-0 max-md:items-start max-md:justify-between max-md:gap-3 max-md:p-0 max-md:whitespace-normal max-md:break-words max-md:text-end max-md:before:shrink-0 max-md:before:text-start max-md:before:text-xs max-md:before:font-medium max-md:before:text-gray-500 max-md:before:content-[attr(data-label)]'

/**
 * A server-driven table: search is a GET form (?q=), pages follow a keyset cursor (?after=), so
 * it works without JavaScript and stays fast on large tables (no OFFSET scans).
 */
export function DataTable<T>({
	rows,
	columns,
	rowKey,
	nextCursor,
	q,
	searchPlaceholder,
	emptyTitle,
	filters,
}: {
	rows: T[]
	columns: Column<T>[]
	rowKey: (row: T) => string | number
	nextCursor: string | null
	q?: string
	searchPlaceholder?: string
	emptyTitle?: string
	filters?: ReactNode
}) {
	const { t } = useTranslation()
	const location = useLocation()
	const params = new URLSearchParams(location.search)
	const isFirstPage = !params.get('after')
	const pageUrl = (after: string | null) => {
		const next = new URLSearchParams(params)
		if (after) next.set('after', after)
		else next.delete('after')
		return `${location.pathname}?${next.toString()}`
	}
	return (
		<div className="space-y-3">
			<Form method="get" className="flex flex-wrap gap-2" role="search">
				<input type="search" name="q" defaultValue={q} placeholder={searchPlaceholder ?? t('table.search')} aria-label={t('table.search')} className={`${inputClass} min-w-0 flex-1 sm:max-w-xs`} />
				{filters}
				<Button type="submit" variant="secondary">
					{t('table.search')}
				</Button>
			</Form>
			{rows.length === 0 ? (
				<EmptyState title={emptyTitle ?? t('table.empty')} />
			) : (
				<div className="md:overflow-x-auto md:rounded-xl md:bg-white md:shadow-sm md:ring-1 md:ring-gray-200 dark:md:bg-gray-900 dark:md:ring-gray-800" data-testid="data-table">
					<table className="min-w-full divide-y divide-gray-200 text-sm max-md:block max-md:divide-y-0 dark:divide-gray-800">
						<thead className="bg-gray-50 max-md:hidden dark:bg-gray-800/50">
							<tr>
								{columns.map((c) => (
									<th key={c.key} scope="col" className="px-3 py-2 text-start text-xs font-semibold text-gray-600 dark:text-gray-300">
										{c.header}
									</th>
								))}
							</tr>
						</thead>
						<tbody className="divide-y divide-gray-100 max-md:block max-md:space-y-2 max-md:divide-y-0 dark:divide-gray-800">
							{rows.map((row) => (
								<tr key={rowKey(row)} className={CARD_ROW}>
									{columns.map((c) => (
										<td key={c.key} data-label={c.label ?? (typeof c.header === 'string' ? c.header : '')} className={cn(c.className ?? 'px-3 py-2 whitespace-nowrap text-gray-700 dark:text-gray-300', CARD_CELL)}>
											{c.cell(row)}
										</td>
									))}
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
			<nav className="flex justify-between text-sm" aria-label="pagination">
				{isFirstPage ? <span /> : <Link to={pageUrl(null)} className="text-accent hover:underline">{t('table.previous')}</Link>}
				{nextCursor ? <Link to={pageUrl(nextCursor)} className="text-accent hover:underline" rel="next">{t('table.next')}</Link> : null}
			</nav>
		</div>
	)
}
