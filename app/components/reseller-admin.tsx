// Pieces of the admin's reseller page: balance summary, manual adjustment form, history.
import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, Link, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { adjustmentSchema } from '~/models/reseller-form'
import { formatBytes, formatDate } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'
import { ChoiceGroup } from './billing-fields'
import { ErrorList, Field } from './forms'
import { Card, CardTitle } from './ui/card'
import { ConfirmButton } from './ui/dialog'
import { EmptyState } from './ui/empty-state'

export function ResellerSummary({ r }: { r: { id: number; fundingModel: 'wallet' | 'pool'; currency: string; balance: bigint; creditLimit: bigint; available: bigint; poolBytes: bigint } }) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const money = (v: bigint) => formatMoney(lang, v, r.currency)
	const items = [
		{ label: t('adminBilling.resellers.summary.balance'), value: money(r.balance), id: 'balance' },
		{ label: t('adminBilling.resellers.summary.creditLimit'), value: money(r.creditLimit), id: 'credit' },
		{ label: t('adminBilling.resellers.summary.pool'), value: formatBytes(lang, r.poolBytes), id: 'pool' },
		{ label: t('adminBilling.resellers.summary.available'), value: r.fundingModel === 'wallet' ? money(r.available) : formatBytes(lang, r.available), id: 'available' },
	]
	return (
		<Card className="mb-4">
			<CardTitle
				action={
					<div className="flex gap-3">
						<Link to={`/admin/resellers/${r.id}/statement`} className="text-sm font-medium text-accent hover:underline" data-testid="statement-link">{t('statements.link')}</Link>
						<Link to={`/admin/resellers/${r.id}/ledger`} className="text-sm font-medium text-accent hover:underline">{t('adminBilling.resellers.ledger')}</Link>
					</div>
				}
			>
				{t(`adminBilling.resellers.funding.${r.fundingModel}`)}
			</CardTitle>
			<dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
				{items.map((i) => (
					<div key={i.id} className="min-w-0">
						<dt className="text-gray-500">{i.label}</dt>
						<dd className="break-words font-semibold tabular-nums" data-testid={`summary-${i.id}`}>{i.value}</dd>
					</div>
				))}
			</dl>
			<p className="mt-2 text-xs text-gray-500">{t('adminBilling.resellers.hints.balance')}</p>
		</Card>
	)
}

/** Posts one adjustment. The hidden key comes fresh from each loader run, so a double submit posts once. */
export function AdjustmentForm({ currency, idempotencyKey, lastResult }: { currency: string; idempotencyKey: string; lastResult?: SubmissionResult<string[]> | null }) {
	const { t } = useTranslation()
	const navigation = useNavigation()
	const [form, fields] = useForm({
		id: 'adjust',
		lastResult: lastResult ?? undefined,
		defaultValue: { account: 'money', direction: 'credit', amount: '', note: '' },
		shouldRevalidate: 'onBlur',
		onValidate: ({ formData }) => parseWithZod(formData, { schema: adjustmentSchema(currency) }),
	})
	return (
		<Card className="mt-6">
			<CardTitle>{t('adminBilling.adjust.title')}</CardTitle>
			{/* keyed by the key: after a successful post the form starts empty with a new key */}
			<Form method="post" className="space-y-4" {...getFormProps(form)} key={idempotencyKey}>
				<input type="hidden" name="intent" value="adjust" />
				<input type="hidden" name="idempotencyKey" value={idempotencyKey} />
				<div className="grid gap-3 sm:grid-cols-2">
					<ChoiceGroup legend={t('adminBilling.adjust.account')} meta={fields.account} type="radio" options={(['money', 'traffic'] as const).map((v) => ({ value: v, label: t(`adminBilling.adjust.accounts.${v}`) }))} />
					<ChoiceGroup legend={t('adminBilling.adjust.direction')} meta={fields.direction} type="radio" options={(['credit', 'debit'] as const).map((v) => ({ value: v, label: t(`adminBilling.adjust.directions.${v}`) }))} />
				</div>
				<Field label={t('adminBilling.adjust.amount')} hint={t('adminBilling.adjust.amountHint', { currency })} errors={fields.amount.errors} inputProps={{ ...getInputProps(fields.amount, { type: 'text' }), inputMode: 'decimal', dir: 'ltr' }} />
				<Field label={t('adminBilling.adjust.note')} errors={fields.note.errors} inputProps={getInputProps(fields.note, { type: 'text' })} />
				<ErrorList id={form.errorId} errors={[...(form.errors ?? []), ...(fields.idempotencyKey.errors ?? [])]} />
				<ConfirmButton name="intent" value="adjust" title={t('adminBilling.adjust.title')} body={t('adminBilling.adjust.confirmBody')} pending={navigation.state === 'submitting' && navigation.formData?.get('intent') === 'adjust'}>
					{t('adminBilling.adjust.submit')}
				</ConfirmButton>
			</Form>
		</Card>
	)
}

interface HistoryEvent {
	id: string
	at: Date
	action: string
	actor: string | null
	changed: string[]
	after: Record<string, unknown> | null
}

export function ResellerHistory({ events, currency }: { events: HistoryEvent[]; currency: string }) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const detail = (e: HistoryEvent) => {
		if (e.action === 'reseller.adjust' && e.after) {
			const amount = BigInt(String(e.after.amount ?? '0'))
			const shown = e.after.account === 'traffic' ? formatBytes(lang, amount) : formatMoney(lang, amount, currency)
			return `${amount > 0n ? '+' : ''}${shown}${t('separators.list')}${String(e.after.note ?? '')}`
		}
		if (e.changed.length) return t('adminBilling.resellers.history.changed', { fields: e.changed.map((k) => t(`adminBilling.resellers.fields.${k}`, { defaultValue: k })).join(lang === 'fa' ? '، ' : ', ') })
		return ''
	}
	return (
		<Card className="mt-6">
			<CardTitle>{t('adminBilling.resellers.history.title')}</CardTitle>
			{events.length === 0 ? (
				<EmptyState title={t('adminBilling.resellers.history.empty')} />
			) : (
				<ul className="divide-y divide-gray-100 text-sm dark:divide-gray-800" data-testid="history">
					{events.map((e) => (
						<li key={e.id} className="py-2">
							<div className="flex flex-wrap justify-between gap-x-2">
								<span className="font-medium">{t(`adminBilling.resellers.history.actions.${e.action.split('.').pop()}`, { defaultValue: e.action })}</span>
								<span className="text-gray-500">{formatDate(lang, e.at, 'datetime')}{t('separators.list')}<span dir="ltr">{e.actor ?? t('adminBilling.resellers.history.system')}</span></span>
							</div>
							<p className="break-words text-gray-600 dark:text-gray-400">{detail(e)}</p>
						</li>
					))}
				</ul>
			)}
		</Card>
	)
}
