import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ErrorList, inputClass } from '~/components/forms'
import { FailureMessage, PaymentStatus, useRial } from '~/components/payments/parts'
import { PaysInvoice } from '~/components/payments/pays-invoice'
import { PageHeader } from '~/components/shell'
import { Button } from '~/components/ui/button'
import { Card, CardTitle } from '~/components/ui/card'
import { reviewCard } from '~/models/payment.server'
import { invoicePaidBy } from '~/models/payment-invoice.server'
import { ReasonSchema } from '~/models/receipt-form'
import { failure } from '~/services/payments/payer-routes.server'
import { approvePayment, claimPayment, rejectPayment, reversePayment } from '~/services/payments/receipts.server'
import { requireAdmin } from '~/utils/auth.server'
import { readForm } from '~/utils/form-data.server'
import { redirectWithToast } from '~/utils/toast.server'
import { idParam } from '~/utils/validation'

export async function loader({ request, params }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const card = await reviewCard(BigInt(idParam(params)))
	if (!card) throw new Response('Not found', { status: 404 })
	return { ...card, invoice: await invoicePaidBy(card.payment), now: Date.now() }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	const id = BigInt(idParam(params))
	const form = await readForm(request)
	const intent = form.get('intent')
	const done = (key: string) => redirectWithToast(`/admin/payments/${id}`, { type: 'success', key })
	try {
		if (intent === 'claim') {
			await claimPayment(admin.id, id)
			return done('receipts.toast.claimed')
		}
		if (intent === 'approve') {
			await approvePayment(admin.id, id)
			return done('receipts.toast.approved')
		}
		if (intent === 'reject' || intent === 'reverse') {
			const submission = parseWithZod(form, { schema: ReasonSchema })
			if (submission.status !== 'success') return data({ result: submission.reply(), failure: undefined }, { status: 400 })
			if (intent === 'reject') await rejectPayment(admin.id, id, submission.value.reason)
			else await reversePayment(admin.id, id, submission.value.reason)
			return done(intent === 'reject' ? 'receipts.toast.rejected' : 'receipts.toast.reversed')
		}
	} catch (e) {
		return failure(e)
	}
	return data({ result: undefined, failure: { code: 'intent', values: {} } }, { status: 400 })
}

export default function ReviewPayment() {
	const { payment: p, payer, nearDuplicateOf, shown, events, invoice, now } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t } = useTranslation()
	const { rial, date, lang } = useRial()
	const reviewable = p.status === 'submitted' || p.status === 'in_review'
	const claimedByOther = p.status === 'in_review' && p.claimExpiresAt && new Date(p.claimExpiresAt).getTime() > now
	const reasonErrors = (actionData?.result as { error?: Record<string, string[] | null> } | undefined)?.error?.reason
	const ageDays = Math.floor((now - new Date(payer.createdAt).getTime()) / 86_400_000)
	return (
		<div className="mx-auto max-w-3xl space-y-4">
			<PageHeader title={t('receipts.page.title', { id: String(p.id) })} action={<Link to="/admin/payments" className="text-sm text-accent">{t('receipts.admin.back')}</Link>} />
			<FailureMessage failure={actionData?.failure} paymentLink={(id) => `/admin/payments/${id}`} />
			<Card>
				<CardTitle action={<PaymentStatus status={p.status} />}>{rial(p.amount)}</CardTitle>
				<dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm" data-testid="review-card">
					<dt className="text-gray-500">{t('receipts.admin.payer')}</dt>
					<dd>{payer.displayName ?? payer.username}{payer.reseller ? ` · ${payer.reseller.name}` : ''}</dd>
					{invoice ? <PaysInvoice invoice={invoice} /> : null}
					<dt className="text-gray-500">{t('receipts.admin.history')}</dt>
					<dd data-testid="payer-history">{t('receipts.admin.counts', { settled: payer.settled, rejected: payer.rejected, reversed: payer.reversed, days: new Intl.NumberFormat(lang === 'fa' ? 'fa-IR' : 'en').format(ageDays) })}</dd>
					<dt className="text-gray-500">{t('receipts.admin.method')}</dt>
					<dd>{p.method?.alias} <span dir="ltr" className="font-mono text-xs">{shown.number ?? shown.sheba ?? shown.address ?? ''}</span></dd>
					<dt className="text-gray-500">{t('receipts.fields.amount')}</dt>
					<dd className={p.receiptAmount != null && p.receiptAmount !== p.amount ? 'font-medium text-red-600' : ''}>{p.receiptAmount != null ? rial(p.receiptAmount) : '—'}</dd>
					<dt className="text-gray-500">{t('receipts.fields.trackingCode')}</dt>
					<dd dir="ltr" className="text-start font-mono">{p.trackingCode ?? '—'}</dd>
					<dt className="text-gray-500">{t('receipts.fields.last4')}</dt>
					<dd dir="ltr" className="text-start font-mono">{p.payerCardLast4 ?? '—'}</dd>
					<dt className="text-gray-500">{t('receipts.fields.paidAt')}</dt>
					<dd>{p.paidAt ? date(p.paidAt) : '—'}</dd>
					{p.claimedByName && p.status === 'in_review' ? (
						<>
							<dt className="text-gray-500">{t('receipts.admin.claimedBy')}</dt>
							<dd>{p.claimedByName} · {p.claimExpiresAt ? date(p.claimExpiresAt) : ''}</dd>
						</>
					) : null}
					{p.decidedByName ? (
						<>
							<dt className="text-gray-500">{t('receipts.admin.decidedBy')}</dt>
							<dd>{p.decidedByName} · {p.decidedAt ? date(p.decidedAt) : ''}</dd>
						</>
					) : null}
				</dl>
				{p.flags.length ? (
					<ul className="mt-3 space-y-1 text-sm text-amber-800 dark:text-amber-300" data-testid="flags">
						{p.flags.map((f) => <li key={f} data-flag={f}>{t(`receipts.flags.${f}`, { defaultValue: f })}</li>)}
						{nearDuplicateOf.map((id) => <li key={id}><Link className="underline" to={`/admin/payments/${id}`}>{t('receipts.admin.nearDuplicateOf', { id })}</Link></li>)}
					</ul>
				) : null}
			</Card>

			{p.receiptFile ? (
				<Card>
					<CardTitle action={<a href={`/resources/receipts/${p.receiptFile.id}`} target="_blank" rel="noreferrer" className="text-sm text-accent">{t('receipts.admin.openFile')}</a>}>{t('receipts.admin.receipt')}</CardTitle>
					{p.receiptFile.mime.startsWith('image/') ? (
						<img src={`/resources/receipts/${p.receiptFile.id}`} alt={t('receipts.admin.receipt')} className="max-h-[70vh] w-full rounded-lg object-contain" data-testid="receipt-image" />
					) : (
						<p className="text-sm">{t('receipts.admin.pdf')}</p>
					)}
				</Card>
			) : null}

			{reviewable ? (
				<Card>
					<CardTitle>{t('receipts.admin.decide')}</CardTitle>
					{claimedByOther ? <p className="mb-2 text-sm text-amber-700">{t('receipts.admin.claimedNote', { by: p.claimedByName ?? '' })}</p> : null}
					<div className="flex flex-wrap gap-2">
						{p.status === 'submitted' ? (
							<Form method="post"><input type="hidden" name="intent" value="claim" /><Button type="submit" variant="secondary">{t('receipts.admin.claim')}</Button></Form>
						) : null}
						<Form method="post"><input type="hidden" name="intent" value="approve" /><Button type="submit" data-testid="approve">{t('receipts.admin.approve')}</Button></Form>
					</div>
					<Form method="post" className="mt-3 space-y-2">
						<input type="hidden" name="intent" value="reject" />
						<label htmlFor="reason" className="block text-sm font-medium">{t('receipts.admin.reason')}</label>
						<textarea id="reason" name="reason" required minLength={4} maxLength={500} rows={2} className={inputClass} />
						<ErrorList errors={reasonErrors} />
						<Button type="submit" variant="danger">{t('receipts.admin.reject')}</Button>
					</Form>
				</Card>
			) : null}

			{p.status === 'settled' ? (
				<Card>
					<CardTitle>{t('receipts.admin.reverseTitle')}</CardTitle>
					<p className="mb-2 text-sm text-gray-600 dark:text-gray-400">{t('receipts.admin.reverseBody')}</p>
					<Form method="post" className="space-y-2">
						<input type="hidden" name="intent" value="reverse" />
						<label htmlFor="reverse-reason" className="block text-sm font-medium">{t('receipts.admin.reason')}</label>
						<textarea id="reverse-reason" name="reason" required minLength={4} maxLength={500} rows={2} className={inputClass} />
						<Button type="submit" variant="danger">{t('receipts.admin.reverse')}</Button>
					</Form>
				</Card>
			) : null}

			<Card>
				<CardTitle>{t('receipts.page.history')}</CardTitle>
				<ol className="space-y-1 text-sm" data-testid="events">
					{events.map((e) => (
						<li key={String(e.id)} className="flex flex-wrap justify-between gap-2">
							<span>
								{t(`receipts.status.${e.toStatus}`)}{e.actor ? <span className="text-gray-500"> · {e.actor}</span> : null}
								{e.note ? <span className="text-gray-500"> — {e.note}</span> : null}
								{e.fileId ? <> · <a className="text-accent" href={`/resources/receipts/${e.fileId}`} target="_blank" rel="noreferrer">{t('receipts.admin.file')}</a></> : null}
							</span>
							<span className="text-xs text-gray-500">{date(e.createdAt)}</span>
						</li>
					))}
				</ol>
			</Card>
		</div>
	)
}
