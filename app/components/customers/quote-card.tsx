import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { Form, Link, useNavigation } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorList } from '~/components/forms'
import { Button } from '~/components/ui/button'
import { Card, CardTitle } from '~/components/ui/card'
import { ConfirmButton } from '~/components/ui/dialog'
import { StatusPill } from '~/components/ui/status-pill'
import type { QuoteView } from '~/models/quote.server'
import { formatDate } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'

/**
 * Step 2 of every priced operation (rule 3): the itemised quote, its total and expiry, and a
 * confirm form that repeats the quote's inputs plus a hidden idempotency key made once for this
 * quote — a double submit executes once. An expired quote can be priced again in one click.
 */
export function QuoteCard({
	quote,
	idempotencyKey,
	fields,
	lastResult,
	confirmLabel,
	danger,
	available,
	changeHref,
	freshQuoteHref,
	children,
}: {
	quote: QuoteView
	idempotencyKey: string
	fields: Array<[string, string]>
	lastResult?: SubmissionResult<string[]> | null
	confirmLabel: string
	danger?: boolean
	/** Money the reseller may spend (wallet resellers), to warn before a charge that cannot pass. */
	available?: bigint | null
	changeHref: string
	/** After a stale execute: the confirm step of the same operation priced again now. */
	freshQuoteHref?: string | null
	children?: ReactNode
}) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const navigation = useNavigation()
	const [form] = useForm({ id: `confirm-${quote.id}`, lastResult: lastResult ?? undefined })
	const hidden = fields.map(([name, value], i) => <input key={`${name}-${i}`} type="hidden" name={name} value={value} />)
	const short = available != null && quote.total > 0n && quote.total > available
	return (
		<Card className="mb-4 space-y-3 ring-2 ring-accent/40" data-testid="quote">
			<CardTitle action={quote.used ? <StatusPill tone="gray" label={t('quote.used')} /> : quote.expired ? <StatusPill tone="amber" label={t('quote.expired')} /> : null}>{t(`quote.title.${quote.kind}`)}</CardTitle>
			{children}
			<ul className="divide-y divide-gray-100 text-sm dark:divide-gray-800">
				{quote.items.map((item, i) => (
					<li key={i} className="flex items-start justify-between gap-3 py-2">
						<span className="min-w-0 text-gray-700 dark:text-gray-300">{t(item.key, item.values)}</span>
						<span className="shrink-0 tabular-nums">{formatMoney(lang, item.amount, quote.currency)}</span>
					</li>
				))}
			</ul>
			<div className="flex items-center justify-between gap-3 border-t border-gray-200 pt-3 text-base font-semibold dark:border-gray-700">
				<span>{t(quote.total < 0n ? 'quote.totalCredit' : 'quote.total')}</span>
				<span className="tabular-nums" data-testid="quote-total">{formatMoney(lang, quote.total < 0n ? -quote.total : quote.total, quote.currency)}</span>
			</div>
			{available != null ? (
				<p className="flex items-center justify-between gap-3 text-sm text-gray-600 dark:text-gray-400" data-testid="quote-available">
					<span>{t('wallet.available')}</span>
					<span className={short ? 'font-medium text-amber-700 tabular-nums dark:text-amber-400' : 'tabular-nums'}>{formatMoney(lang, available, quote.currency)}</span>
				</p>
			) : null}
			<p className="text-xs text-gray-500">{t('quote.validUntil', { date: formatDate(lang, quote.expiresAt, 'datetime') })}</p>
			{short ? <p className="text-sm text-amber-700 dark:text-amber-400">{t('quote.short')}</p> : null}
			<ErrorList id={form.errorId} errors={form.errors} />
			{freshQuoteHref ? (
				<Link to={freshQuoteHref} className="inline-block text-sm font-medium text-accent hover:underline" data-testid="fresh-quote">
					{t('quote.fresh')}
				</Link>
			) : null}
			{quote.used ? (
				quote.customerId ? <Link to={`/reseller/customers/${quote.customerId}`} className="text-sm font-medium text-accent hover:underline">{t('quote.openCustomer')}</Link> : null
			) : (
				<div className="flex flex-wrap items-center gap-2">
					{quote.expired ? null : (
						<Form method="post" {...getFormProps(form)}>
							<input type="hidden" name="intent" value="execute" />
							<input type="hidden" name="quoteId" value={quote.id} />
							<input type="hidden" name="idempotencyKey" value={idempotencyKey} />
							{hidden}
							{danger ? (
								<ConfirmButton variant="danger" name="intent" value="execute" kind="refund" title={confirmLabel} body={t('quote.confirmBody', { total: formatMoney(lang, quote.total < 0n ? -quote.total : quote.total, quote.currency) })}>{confirmLabel}</ConfirmButton>
							) : (
								<Button type="submit" pending={navigation.state === 'submitting' && navigation.formData?.get('intent') === 'execute'}>{confirmLabel}</Button>
							)}
						</Form>
					)}
					<Form method="post">
						<input type="hidden" name="intent" value="quote" />
						{hidden}
						<Button type="submit" variant={quote.expired ? 'primary' : 'secondary'}>{t('quote.again')}</Button>
					</Form>
					<Link to={changeHref} className="px-2 text-sm text-accent hover:underline">{t('quote.change')}</Link>
				</div>
			)}
		</Card>
	)
}
