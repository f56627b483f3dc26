import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PageHeader } from '~/components/shell'
import { DataTable } from '~/components/ui/data-table'
import { StatusPill } from '~/components/ui/status-pill'
import { couponValueText } from '~/models/coupon-form'
import { listCoupons } from '~/models/coupon.server'
import { requireAdmin } from '~/utils/auth.server'
import { formatDate, formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'
import { parseListParams } from '~/utils/pagination.server'

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const { q, after } = parseListParams(request)
	return { q, ...(await listCoupons({ q, after })) }
}

export default function Coupons() {
	const { rows, nextCursor, q } = useLoaderData<typeof loader>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	return (
		<>
			<PageHeader title={t('invoices.coupons.title')} action={<Link to="/admin/coupons/new" className="rounded-lg bg-accent px-3 py-2 text-sm font-medium text-white hover:bg-accent-strong">{t('invoices.coupons.add')}</Link>} />
			<DataTable
				rows={rows}
				q={q}
				nextCursor={nextCursor}
				rowKey={(r) => r.id}
				searchPlaceholder={t('invoices.coupons.searchPlaceholder')}
				emptyTitle={t('invoices.coupons.empty')}
				columns={[
					{ key: 'code', header: t('invoices.coupons.fields.code'), cell: (r) => <Link to={`/admin/coupons/${r.id}`} className="font-mono text-accent hover:underline" dir="ltr">{r.code}</Link> },
					{ key: 'value', header: t('invoices.coupons.fields.value'), cell: (r) => (r.kind === 'percent' ? `${formatNumber(lang, Number(couponValueText(r.kind, r.value)))} %` : formatMoney(lang, r.value, 'IRR')) },
					{ key: 'uses', header: t('invoices.coupons.fields.uses'), cell: (r) => (r.maxUses == null ? t('invoices.coupons.unlimited', { used: formatNumber(lang, r.uses) }) : t('invoices.coupons.usesOf', { used: formatNumber(lang, r.uses), max: formatNumber(lang, r.maxUses) })) },
					{ key: 'to', header: t('invoices.coupons.fields.validTo'), cell: (r) => (r.validTo ? formatDate(lang, r.validTo) : '—') },
					{ key: 'active', header: t('invoices.coupons.fields.active'), cell: (r) => <StatusPill tone={r.active ? 'green' : 'gray'} label={t(r.active ? 'invoices.coupons.fields.active' : 'invoices.status.void')} /> },
				]}
			/>
		</>
	)
}
