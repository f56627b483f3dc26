import { Form, Link, useLocation } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { inputClass } from '../forms'
import { Button } from './button'
import { EmptyState } from './empty-state'

export interface Column<T> {
	key: string
	header: ReactNode
	cell: (row: T) => ReactNode
	className?: string
}

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
				<input type="search" name="q" defaultValue={q} placeholder={searchPlaceholder ?? t('table.search')} aria-label={t('table.search')} className={`${inputClass} max-w-xs flex-1`} />
				{filters}
				<Button type="submit" variant="secondary">
					{t('table.search')}
				</Button>
			</Form>
			{rows.length === 0 ? (
				<EmptyState title={emptyTitle ?? t('table.empty')} />
			) : (
				<div className="overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-gray-200 dark:bg-gray-900 dark:ring-gray-800">
					<table className="min-w-full divide-y divide-gray-200 text-sm dark:divide-gray-800">
						<thead className="bg-gray-50 dark:bg-gray-800/50">
							<tr>
								{columns.map((c) => (
									<th key={c.key} scope="col" className="px-3 py-2 text-start text-xs font-semibold text-gray-600 dark:text-gray-300">
										{c.header}
									</th>
								))}
							</tr>
						</thead>
						<tbody className="divide-y divide-gray-100 dark:divide-gray-800">
							{rows.map((row) => (
								<tr key={rowKey(row)}>
									{columns.map((c) => (
										<td key={c.key} className={c.className ?? 'px-3 py-2 whitespace-nowrap text-gray-700 dark:text-gray-300'}>
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
