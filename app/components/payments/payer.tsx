// The payer's two pages, shared by a reseller (/reseller/wallet/top-up) and an end user
// (/account/wallet): start a payment (amount + kind), and one payment (where to send, exact
// amount, expiry, the receipt form, the decision and a rejection's reason). Plain forms: they work
// without JavaScript (the receipt form is multipart; the browser sends the file).
import { Form, Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ErrorList, Field } from '~/components/forms'
import { Button } from '~/components/ui/button'
import { Card, CardTitle } from '~/components/ui/card'
import { EmptyState } from '~/components/ui/empty-state'
import { CopyValue, FailureMessage, PaymentStatus, useRial, type Failure } from './parts'

type FieldErrors = Record<string, string[] | null> | undefined
type ActionResult = { result?: { error?: FieldErrors } | undefined; failure?: Failure; hide?: string | null } | undefined

export function StartPaymentCard({ kinds, actionData, blockedReason }: { kinds: string[]; actionData: ActionResult; blockedReason?: string | null }) {
	const { t } = useTranslation()
	const errors = actionData?.result?.error
	const shown = kinds.filter((k) => k !== actionData?.hide)
	return (
		<Card>
			<CardTitle>{t('receipts.start.title')}</CardTitle>
			{blockedReason ? (
				<p className="text-sm text-amber-700 dark:text-amber-300" data-testid="top-up-blocked">{blockedReason}</p>
			) : shown.length === 0 ? (
				<EmptyState title={t('receipts.start.noMethods')} />
			) : (
				<Form method="post" className="space-y-3">
					<input type="hidden" name="intent" value="start" />
					<Field label={t('receipts.fields.amount')} hint={t('receipts.start.amountHint')} errors={errors?.amount} inputProps={{ id: 'amount', name: 'amount', inputMode: 'numeric', required: true, autoComplete: 'off', dir: 'ltr' }} />
					<fieldset className="space-y-1">
						<legend className="text-sm font-medium text-gray-700 dark:text-gray-300">{t('receipts.fields.kind')}</legend>
						<div className="flex flex-wrap gap-2">
							{shown.map((k, i) => (
								<label key={k} className="flex items-center gap-2 rounded-lg px-3 py-2 text-sm ring-1 ring-gray-300 has-[:checked]:ring-2 has-[:checked]:ring-accent dark:ring-gray-700">
									<input type="radio" name="kind" value={k} defaultChecked={i === 0} />
									{t(`payments.methods.kinds.${k}`)}
								</label>
							))}
						</div>
						<ErrorList errors={errors?.kind} />
					</fieldset>
					<FailureMessage failure={actionData?.failure} />
					<Button type="submit" className="w-full sm:w-auto">{t('receipts.start.submit')}</Button>
				</Form>
			)}
		</Card>
	)
}

export function PaymentList({ payments, base }: { payments: Array<{ id: bigint; status: string; channel: string; amount: bigint; createdAt: Date; late: boolean }>; base: string }) {
	const { t } = useTranslation()
	const { rial, date } = useRial()
	return (
		<Card className="mt-4">
			<CardTitle>{t('receipts.list.title')}</CardTitle>
			{payments.length === 0 ? (
				<EmptyState title={t('receipts.list.empty')} />
			) : (
				<ul className="divide-y divide-gray-100 text-sm dark:divide-gray-800" data-testid="payments">
					{payments.map((p) => (
						<li key={String(p.id)}>
							<Link to={`${base}/${p.id}`} className="flex items-center justify-between gap-3 py-2" data-testid="payment-row">
								<span className="min-w-0">
									<span className="block font-medium tabular-nums">{rial(p.amount)}</span>
									<span className="block text-xs text-gray-500">{t(`payments.methods.kinds.${p.channel}`, { defaultValue: p.channel })} · {date(p.createdAt)}</span>
								</span>
								<PaymentStatus status={p.status} />
							</Link>
						</li>
					))}
				</ul>
			)}
		</Card>
	)
}

export interface PayerPaymentView {
	id: bigint
	status: string
	channel: string
	amount: bigint
	expiresAt: Date
	late: boolean
	receiptFileId: bigint | null
	trackingCode: string | null
	rejectReason: string | null
	shown: { alias: string; details: Record<string, string> }
	events: Array<{ id: bigint; toStatus: string; createdAt: Date; note: string | null }>
}

const DETAIL_KEYS: Record<string, string[]> = { card: ['number', 'holder', 'bank'], iban: ['sheba', 'holder', 'bank'], crypto: ['asset', 'network', 'address', 'memo'] }
const COPYABLE = new Set(['number', 'sheba', 'address', 'memo'])

export function PaymentPage({ payment: p, actionData, base, now }: { payment: PayerPaymentView; actionData: ActionResult; base: string; now: number }) {
	const { t } = useTranslation()
	const { rial, date } = useRial()
	const errors = actionData?.result?.error
	const canSubmit = ['awaiting_transfer', 'rejected', 'expired'].includes(p.status)
	const overdue = p.status === 'awaiting_transfer' && new Date(p.expiresAt).getTime() <= now
	return (
		<div className="space-y-4">
			<Card>
				<CardTitle action={<PaymentStatus status={p.status} />}>{t('receipts.page.transfer')}</CardTitle>
				<p className="mb-3 text-sm">{t('receipts.page.exactAmount')} <strong className="tabular-nums" data-testid="exact-amount" data-amount={String(p.amount)}>{rial(p.amount)}</strong></p>
				<div className="space-y-2">
					{(DETAIL_KEYS[p.channel] ?? []).filter((k) => p.shown.details[k]).map((k) =>
						COPYABLE.has(k) ? (
							<CopyValue key={k} label={t(`receipts.details.${k}`)} value={p.shown.details[k]!} />
						) : (
							<p key={k} className="px-3 text-sm"><span className="text-gray-500">{t(`receipts.details.${k}`)}:</span> {p.shown.details[k]}</p>
						),
					)}
				</div>
				{p.status === 'awaiting_transfer' ? (
					<p className="mt-3 text-xs text-gray-600 dark:text-gray-400">{overdue ? t('receipts.page.overdue') : t('receipts.page.expires', { at: date(p.expiresAt) })}</p>
				) : null}
				{p.status === 'rejected' && p.rejectReason ? (
					<p className="mt-3 rounded-lg bg-red-50 p-3 text-sm text-red-700 dark:bg-red-950 dark:text-red-300" data-testid="reject-reason">{t('receipts.page.rejected', { reason: p.rejectReason })}</p>
				) : null}
				{p.status === 'submitted' || p.status === 'in_review' ? <p className="mt-3 text-sm" data-testid="waiting">{t('receipts.page.waiting')}</p> : null}
				{p.status === 'settled' ? <p className="mt-3 text-sm text-green-700 dark:text-green-400" data-testid="settled">{t('receipts.page.settled')}</p> : null}
			</Card>

			{canSubmit ? (
				<Card>
					<CardTitle>{p.status === 'rejected' ? t('receipts.page.resubmit') : t('receipts.page.submit')}</CardTitle>
					{p.status === 'expired' || overdue ? <p className="mb-2 text-xs text-amber-700 dark:text-amber-300">{t('receipts.page.lateNote')}</p> : null}
					<Form method="post" encType="multipart/form-data" className="space-y-3">
						<input type="hidden" name="intent" value="submit" />
						<div className="space-y-1">
							<label htmlFor="receipt" className="block text-sm font-medium text-gray-700 dark:text-gray-300">{t('receipts.fields.file')}</label>
							<input id="receipt" name="receipt" type="file" required accept="image/jpeg,image/png,image/webp,image/heic,application/pdf" className="block w-full text-sm" />
							<p className="text-xs text-gray-500">{t('receipts.fields.fileHint')}</p>
						</div>
						<Field label={t('receipts.fields.amount')} errors={errors?.amount} inputProps={{ id: 'r-amount', name: 'amount', inputMode: 'numeric', required: true, defaultValue: String(p.amount), dir: 'ltr' }} />
						<Field label={t('receipts.fields.trackingCode')} errors={errors?.trackingCode} inputProps={{ id: 'trackingCode', name: 'trackingCode', required: true, autoComplete: 'off', dir: 'ltr' }} />
						{p.channel === 'card' ? <Field label={t('receipts.fields.last4')} errors={errors?.payerCardLast4} inputProps={{ id: 'payerCardLast4', name: 'payerCardLast4', inputMode: 'numeric', maxLength: 4, dir: 'ltr' }} /> : null}
						<Field label={t('receipts.fields.paidAt')} hint={t('receipts.fields.paidAtHint')} errors={errors?.paidAt} inputProps={{ id: 'paidAt', name: 'paidAt', type: 'datetime-local', required: true, dir: 'ltr' }} />
						<FailureMessage failure={actionData?.failure} paymentLink={(id) => `${base}/${id}`} />
						<Button type="submit" className="w-full sm:w-auto">{t('receipts.page.send')}</Button>
					</Form>
				</Card>
			) : null}

			{p.status === 'awaiting_transfer' || p.status === 'expired' ? (
				<Form method="post">
					<input type="hidden" name="intent" value="cancel" />
					<Button type="submit" variant="secondary" className="w-full sm:w-auto">{t('receipts.page.cancel')}</Button>
				</Form>
			) : null}

			<Card>
				<CardTitle>{t('receipts.page.history')}</CardTitle>
				<ol className="space-y-1 text-sm" data-testid="payment-history">
					{p.events.map((e) => (
						<li key={String(e.id)} className="flex flex-wrap justify-between gap-2">
							<span>{t(`receipts.status.${e.toStatus}`)}{e.note ? <span className="text-gray-500"> — {e.note}</span> : null}</span>
							<span className="text-xs text-gray-500">{date(e.createdAt)}</span>
						</li>
					))}
				</ol>
			</Card>
		</div>
	)
}
