// Small pieces the payer pages and the admin queue share: the status pill, a refusal's message,
// money in Rial, and the copy button (the number stays selectable text without JavaScript).
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { StatusPill } from '~/components/ui/status-pill'
import { formatDate } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'

const TONE: Record<string, 'green' | 'red' | 'amber' | 'gray'> = {
	awaiting_transfer: 'amber', submitted: 'amber', in_review: 'amber', approved: 'green', settled: 'green',
	rejected: 'red', reversed: 'red', expired: 'gray', cancelled: 'gray', failed: 'red', awaiting_gateway: 'amber',
}

export function PaymentStatus({ status }: { status: string }) {
	const { t } = useTranslation()
	return <StatusPill tone={TONE[status] ?? 'gray'} pulse={false} label={t(`receipts.status.${status}`, { defaultValue: status })} />
}

export function useRial() {
	const { i18n } = useTranslation()
	const lang = i18n.language as Lang
	return { lang, rial: (v: bigint | string) => formatMoney(lang, BigInt(v), 'IRR'), date: (d: Date | string) => formatDate(lang, d, 'datetime') }
}

export type Failure = { code: string; values: Record<string, string | number> } | undefined | null

/** A service refusal, translated; dates in the values are shown in the reader's calendar. */
export function FailureMessage({ failure, paymentLink }: { failure: Failure; paymentLink?: (id: string) => string }) {
	const { t } = useTranslation()
	const { date } = useRial()
	if (!failure) return null
	const v = Object.fromEntries(
		Object.entries(failure.values).map(([k, x]) => [
			k,
			k === 'kind' ? t(`payments.methods.kinds.${x}`, { defaultValue: String(x) }) : k === 'status' ? t(`receipts.status.${x}`, { defaultValue: String(x) }) : typeof x === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(x) ? date(x) : x,
		]),
	)
	const first = typeof failure.values.paymentId === 'string' && failure.values.paymentId ? failure.values.paymentId : null
	return (
		<div role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-700 dark:bg-red-950 dark:text-red-300" data-testid="payment-failure" data-code={failure.code}>
			{t(`receipts.errors.${failure.code}`, { ...v, defaultValue: failure.code })}
			{first && paymentLink ? (
				<>
					{' '}
					<a className="font-medium underline" href={paymentLink(first)}>{t('receipts.firstPayment', { id: first })}</a>
				</>
			) : null}
		</div>
	)
}

export function CopyValue({ value, label }: { value: string; label: string }) {
	const { t } = useTranslation()
	const [copied, setCopied] = useState(false)
	return (
		<div className="flex items-center justify-between gap-2 rounded-lg bg-gray-50 px-3 py-2 dark:bg-gray-800">
			<div className="min-w-0">
				<p className="text-xs text-gray-500">{label}</p>
				<p dir="ltr" className="font-mono text-base break-all select-all" data-testid={`copy-${label}`}>{value}</p>
			</div>
			<button
				type="button"
				className="shrink-0 rounded-md px-2 py-1 text-xs text-accent ring-1 ring-accent/40"
				onClick={() => void navigator.clipboard?.writeText(value).then(() => setCopied(true))}
			>
				{copied ? t('receipts.copied') : t('receipts.copy')}
			</button>
		</div>
	)
}
