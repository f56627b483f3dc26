import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { DaysLeft, OnlineDot } from '~/components/customers/presence'
import { CustomerStatusPill, Usage } from '~/components/customers/status'
import { inputClass } from '~/components/forms'
import { PageHeader } from '~/components/shell'
import { Button } from '~/components/ui/button'
import { EmptyState } from '~/components/ui/empty-state'
import { listCustomers, parseCustomerFilters } from '~/models/customer.server'
import { customerListContext } from '~/models/customer-list.server'
import { CUSTOMER_STATUSES, EXPIRING_CHOICES } from '~/models/customer-form'
import { requireReseller } from '~/utils/auth.server'
import { formatDate, formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireReseller(request)
	const list = await customerListContext(user.id)
	if (!list) throw new Response('Forbidden', { status: 403 })
	const filters = parseCustomerFilters(request)
	const page = await listCustomers(list.resellerId, filters)
	return { ...page, filters, nodes: list.nodes, now: new Date() }
}

export default function CustomersPage() {
	const { rows, nextCursor, filters, nodes, now } = useLoaderData<typeof loader>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const location = useLocation()
	const pageUrl = (after: string | null) => {
		const next = new URLSearchParams(location.search)
		if (after) next.set('after', after)
		else next.delete('after')
		return `${location.pathname}?${next}`
	}
	const select = `${inputClass} min-w-0`
	return (
		<div className="mx-auto max-w-3xl">
				<PageHeader title={t('customers.title')} action={<Link to="/reseller/customers/new" className="rounded-lg bg-accent px-3 py-2 text-sm font-medium text-white hover:bg-accent-strong">{t('customers.new')}</Link>} />
				<Form method="get" role="search" className="mb-4 space-y-2">
					<input type="search" name="q" defaultValue={filters.q} placeholder={t('customers.searchPlaceholder')} aria-label={t('customers.search')} className={inputClass} />
					<div className="grid grid-cols-2 gap-2 sm:grid-cols-4">
						<select name="status" defaultValue={filters.status ?? ''} aria-label={t('customers.filterStatus')} className={select}>
							<option value="">{t('customers.allStatuses')}</option>
							{CUSTOMER_STATUSES.map((s) => <option key={s} value={s}>{t(`customers.status.${s}`)}</option>)}
						</select>
						<select name="node" defaultValue={filters.node ?? ''} aria-label={t('customers.filterNode')} className={select}>
							<option value="">{t('customers.allNodes')}</option>
							{nodes.map((n) => <option key={n.id} value={n.id}>{n.name}</option>)}
						</select>
						<select name="expiring" defaultValue={filters.expiring ?? ''} aria-label={t('customers.filterExpiring')} className={select}>
							<option value="">{t('customers.anyExpiry')}</option>
							{EXPIRING_CHOICES.map((d) => <option key={d} value={d}>{t('customers.expiringWithin', { days: formatNumber(lang, d) })}</option>)}
						</select>
						<Button type="submit" variant="secondary">{t('customers.search')}</Button>
					</div>
				</Form>
				{rows.length === 0 ? (
					filters.q || filters.status || filters.node || filters.expiring ? (
						<EmptyState icon="search" title={t('customers.noMatch')} body={t('daily.empty.customersNoMatch')} action={<Link to="/reseller/customers" className="text-sm font-medium text-accent hover:underline">{t('daily.empty.clearFilters')}</Link>} />
					) : (
						<EmptyState icon="users" title={t('customers.empty')} body={t('daily.empty.customers')} action={<Link to="/reseller/customers/new" className="rounded-lg bg-accent px-3 py-2 text-sm font-medium text-white hover:bg-accent-strong">{t('customers.new')}</Link>} />
					)
				) : (
					<ul className="divide-y divide-gray-100 overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-gray-200 dark:divide-gray-800 dark:bg-gray-900 dark:ring-gray-800" data-testid="customer-list">
						{rows.map((c) => (
							<li key={c.id}>
								<Link to={`/reseller/customers/${c.id}`} className="block px-4 py-3 hover:bg-gray-50 dark:hover:bg-gray-800/50">
									<div className="flex items-center justify-between gap-2">
										<span className="flex min-w-0 items-center gap-2">
											<OnlineDot at={c.lastOnlineAt} now={now} compact />
											<span dir="ltr" className="truncate font-medium text-gray-900 dark:text-gray-100">{c.username}</span>
										</span>
										<CustomerStatusPill status={c.status} />
									</div>
									<div className="mt-2 grid grid-cols-[1fr_auto] items-end gap-3">
										<Usage used={c.usedBytes} limit={c.dataLimitBytes} />
										<span className="flex flex-col items-end gap-0.5">
											<DaysLeft expireAt={c.expireAt} now={now} />
											<span className="text-[11px] whitespace-nowrap text-gray-400">{formatDate(lang, c.expireAt)}</span>
										</span>
									</div>
								</Link>
							</li>
						))}
					</ul>
				)}
				<nav className="mt-3 flex justify-between text-sm" aria-label="pagination">
					{filters.after ? <Link to={pageUrl(null)} className="text-accent hover:underline">{t('table.previous')}</Link> : <span />}
					{nextCursor ? <Link to={pageUrl(nextCursor)} className="text-accent hover:underline" rel="next">{t('table.next')}</Link> : null}
				</nav>
		</div>
	)
}
