import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { inputClass } from '~/components/forms'
import { PaymentStatus, useRial } from '~/components/payments/parts'
import { PageHeader } from '~/components/shell'
import { Button } from '~/components/ui/button'
import { Card } from '~/components/ui/card'
import { EmptyState } from '~/components/ui/empty-state'
import { adminQueue } from '~/models/payment.server'
import { invoiceNumbersOf } from '~/models/payment-invoice.server'
import { METHOD_KINDS } from '~/models/payment-method-form'
import { AdminFilterSchema } from '~/models/receipt-form'
import { requireAdmin } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { parseListParams } from '~/utils/pagination.server'

const STATUSES = ['open', 'submitted', 'in_review', 'awaiting_transfer', 'settled', 'rejected', 'expired', 'reversed', 'cancelled', 'all'] as const

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const url = new URL(request.url)
	const filter = AdminFilterSchema.parse(Object.fromEntries(['status', 'kind', 'method', 'payer', 'from', 'to'].map((k) => [k, url.searchParams.get(k) || undefined])))
	const { after } = parseListParams(request)
	const [page, methods] = await Promise.all([adminQueue(filter, after ? BigInt(after) : undefined), prisma.paymentMethod.findMany({ select: { id: true, alias: true }, orderBy: { id: 'asc' } })])
	return { filter, methods, ...page, invoiceNumbers: await invoiceNumbersOf(page.rows.map((r) => r.id)) }
}

export default function AdminPayments() {
	const { filter, methods, rows, nextCursor, invoiceNumbers } = useLoaderData<typeof loader>()
	const { t } = useTranslation()
	const { rial, date } = useRial()
	const location = useLocation()
	const next = new URLSearchParams(location.search)
	if (nextCursor) next.set('after', nextCursor)
	return (
		<div className="mx-auto max-w-3xl">
			<PageHeader title={t('receipts.admin.title')} />
			<Form method="get" className="mb-4 grid grid-cols-2 gap-2 sm:grid-cols-3" aria-label={t('receipts.admin.filters')}>
				<select name="status" defaultValue={filter.status} className={inputClass} aria-label={t('receipts.admin.status')}>
					{STATUSES.map((s) => <option key={s} value={s}>{s === 'open' || s === 'all' ? t(`receipts.admin.${s}`) : t(`receipts.status.${s}`)}</option>)}
				</select>
				<select name="kind" defaultValue={filter.kind} className={inputClass} aria-label={t('receipts.fields.kind')}>
					<option value="all">{t('receipts.admin.allKinds')}</option>
					{METHOD_KINDS.map((k) => <option key={k} value={k}>{t(`payments.methods.kinds.${k}`)}</option>)}
				</select>
				<select name="method" defaultValue={filter.method ?? ''} className={inputClass} aria-label={t('receipts.admin.method')}>
					<option value="">{t('receipts.admin.allMethods')}</option>
					{methods.map((m) => <option key={m.id} value={m.id}>{m.alias}</option>)}
				</select>
				<input name="payer" defaultValue={filter.payer ?? ''} placeholder={t('receipts.admin.payer')} aria-label={t('receipts.admin.payer')} className={inputClass} />
				<input name="from" type="date" defaultValue={filter.from ?? ''} aria-label={t('receipts.admin.from')} className={inputClass} />
				<input name="to" type="date" defaultValue={filter.to ?? ''} aria-label={t('receipts.admin.to')} className={inputClass} />
				<Button type="submit" variant="secondary" className="col-span-2 sm:col-span-3">{t('receipts.admin.apply')}</Button>
			</Form>
			<Card>
				{rows.length === 0 ? (
					<EmptyState title={t('receipts.admin.empty')} />
				) : (
					<ul className="divide-y divide-gray-100 text-sm dark:divide-gray-800" data-testid="queue">
						{rows.map((p) => (
							<li key={String(p.id)}>
								<Link to={`/admin/payments/${p.id}`} className="flex items-start justify-between gap-3 py-2" data-testid="queue-row">
									<span className="min-w-0">
										<span className="block font-medium tabular-nums">#{String(p.id)} · {rial(p.amount)}</span>
										<span className="block truncate text-xs text-gray-500">{p.user.username} · {p.method?.alias ?? t(`payments.methods.kinds.${p.channel}`, { defaultValue: p.channel })} · {date(p.submittedAt ?? p.createdAt)}</span>
										{invoiceNumbers[String(p.id)] ? (
											<span className="block text-xs" data-testid="queue-invoice">
												{t('receipts.admin.forInvoice')} <bdi dir="ltr" className="font-mono">{invoiceNumbers[String(p.id)]}</bdi>
											</span>
										) : null}
										{p.flags.length ? <span className="mt-0.5 block text-xs text-amber-700 dark:text-amber-300">{p.flags.map((f) => t(`receipts.flags.${f}`, { defaultValue: f })).join(' · ')}</span> : null}
									</span>
									<PaymentStatus status={p.status} />
								</Link>
							</li>
						))}
					</ul>
				)}
				{nextCursor ? <Link to={`?${next}`} rel="next" className="mt-3 block text-sm text-accent">{t('table.next')}</Link> : null}
			</Card>
		</div>
	)
}
