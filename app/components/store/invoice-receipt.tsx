// Paying one open store invoice by transfer receipt (/account/wallet?invoice=<id>): the total is
// fixed (the invoice's), the payer only picks how he transfers. A plain form: works without
// JavaScript; the next page shows where to transfer and takes the receipt.
import { Form, Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ErrorList } from '~/components/forms'
import { FailureMessage, type Failure } from '~/components/payments/parts'
import { Button } from '~/components/ui/button'
import { Card, CardTitle } from '~/components/ui/card'
import { EmptyState } from '~/components/ui/empty-state'
import type { Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'

type ActionResult = { result?: { error?: Record<string, string[] | null> } | undefined; failure?: Failure; error?: { key: string; values: Record<string, string | number> } } | undefined

export function InvoiceReceiptCard({ invoice, kinds, display, actionData }: { invoice: { id: string; number: string | null; total: bigint }; kinds: string[]; display: 'IRT' | 'IRR'; actionData: unknown }) {
	const result = actionData as ActionResult
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const number = invoice.number ?? invoice.id
	const total = formatMoney(lang, BigInt(invoice.total), 'IRR', display)
	return (
		<Card data-testid="invoice-receipt">
			<CardTitle>{t('invoices.receipt.title', { number })}</CardTitle>
			<p className="mb-3 text-sm text-gray-600 dark:text-gray-400">{t('invoices.receipt.intro', { total })}</p>
			{kinds.length === 0 ? (
				<EmptyState title={t('receipts.start.noMethods')} />
			) : (
				<Form method="post" className="space-y-3">
					<input type="hidden" name="intent" value="pay_invoice" />
					<input type="hidden" name="invoice" value={invoice.id} />
					<fieldset className="space-y-1">
						<legend className="text-sm font-medium text-gray-700 dark:text-gray-300">{t('receipts.fields.kind')}</legend>
						<div className="flex flex-wrap gap-2">
							{kinds.map((k, i) => (
								<label key={k} className="flex items-center gap-2 rounded-lg px-3 py-2 text-sm ring-1 ring-gray-300 has-[:checked]:ring-2 has-[:checked]:ring-accent dark:ring-gray-700">
									<input type="radio" name="kind" value={k} defaultChecked={i === 0} />
									{t(`payments.methods.kinds.${k}`)}
								</label>
							))}
						</div>
						<ErrorList errors={result?.result?.error?.kind} />
					</fieldset>
					<FailureMessage failure={result?.failure} />
					{result?.error ? <p role="alert" className="text-sm text-red-700 dark:text-red-300">{t(result.error.key, result.error.values)}</p> : null}
					<Button type="submit" className="w-full sm:w-auto">{t('invoices.receipt.start')}</Button>
				</Form>
			)}
			<Link to={`/account/invoices/${invoice.id}`} className="mt-3 block text-sm text-accent hover:underline">{t('invoices.receipt.openInvoice')}</Link>
		</Card>
	)
}
