import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CustomerStatusPill } from '~/components/customers/status'
import { inputClass } from '~/components/forms'
import { PageHeader } from '~/components/shell'
import { DataTable } from '~/components/ui/data-table'
import { CUSTOMER_STATUSES } from '~/models/customer-form'
import { listAllCustomers, parseAdminCustomerFilters, resellerOwners } from '~/models/end-user-admin.server'
import { requireAdmin } from '~/utils/auth.server'
import { formatBytes, formatDate } from '~/utils/format'
import type { Lang } from '~/utils/i18n'

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const filters = parseAdminCustomerFilters(request)
	const [page, owners] = await Promise.all([listAllCustomers(filters), resellerOwners()])
	return { ...page, owners, filters: { q: filters.q, owner: filters.owner == null ? '' : String(filters.owner), status: filters.status ?? '' } }
}

export default function AdminCustomers() {
	const { rows, nextCursor, owners, filters } = useLoaderData<typeof loader>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const select = `${inputClass} w-auto min-w-0`
	return (
		<>
			<PageHeader title={t('store.customers.title')} />
			<DataTable
				rows={rows}
				q={filters.q}
				nextCursor={nextCursor}
				rowKey={(r) => r.id}
				searchPlaceholder={t('store.customers.searchPlaceholder')}
				emptyTitle={t('store.customers.empty')}
				filters={
					<>
						<select name="owner" defaultValue={filters.owner} aria-label={t('store.customers.owner')} className={select}>
							<option value="">{t('store.customers.allOwners')}</option>
							<option value="store">{t('store.customers.store')}</option>
							{owners.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
						</select>
						<select name="status" defaultValue={filters.status} aria-label={t('customers.filterStatus')} className={select}>
							<option value="">{t('customers.allStatuses')}</option>
							{CUSTOMER_STATUSES.map((s) => <option key={s} value={s}>{t(`customers.status.${s}`)}</option>)}
						</select>
					</>
				}
				columns={[
					{ key: 'username', header: t('admin.username'), cell: (r) => <span dir="ltr" className="font-medium">{r.username}</span> },
					{ key: 'owner', header: t('store.customers.owner'), cell: (r) => (r.reseller ? r.reseller.name : <span>{t('store.customers.store')}{r.user ? <span dir="ltr" className="ms-1 text-xs text-gray-500">({r.user.username})</span> : null}</span>) },
					{ key: 'plan', header: t('adminBilling.plans.title'), cell: (r) => r.plan?.name ?? '—' },
					{ key: 'status', header: t('admin.status'), cell: (r) => <CustomerStatusPill status={r.status} /> },
					{ key: 'usage', header: t('store.customers.usage'), cell: (r) => `${formatBytes(lang, r.usedBytes)} / ${formatBytes(lang, r.dataLimitBytes)}` },
					{ key: 'expires', header: t('store.customers.expires'), cell: (r) => formatDate(lang, r.expireAt) },
				]}
			/>
		</>
	)
}
