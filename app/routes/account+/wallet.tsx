import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { InvoiceReceiptCard } from '~/components/store/invoice-receipt'
import { PaymentList, StartPaymentCard } from '~/components/payments/payer'
import { useRial } from '~/components/payments/parts'
import { PageHeader } from '~/components/shell'
import { Stat } from '~/components/ui/card'
import { invoiceIdField } from '~/models/gateway-form'
import { InvoiceReceiptSchema } from '~/models/invoice-form'
import { InvoiceError } from '~/services/invoices/errors'
import { invoiceFailure } from '~/services/invoices/http.server'
import { openInvoiceOf, startInvoiceReceipt } from '~/services/invoices/pay-receipt.server'
import { failure, topUpAction, topUpData } from '~/services/payments/payer-routes.server'
import { getStoreSettings } from '~/services/settings.server'
import { requireCustomer } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { readForm } from '~/utils/form-data.server'
import { getT } from '~/utils/i18n.server'
import { redirectWithToast } from '~/utils/toast.server'

const BASE = '/account/wallet'

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireCustomer(request)
	// An end user's wallet is IRR: users.wallet_balance, kept by the ledger.
	const { walletBalance } = await prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { walletBalance: true } })
	// ?invoice=<id> (the invoice page's "pay by card transfer"): his own open invoice, at its total.
	const query = new URL(request.url).searchParams
	let invoice: { id: string; number: string | null; total: bigint } | null = null
	if (query.has('invoice')) {
		const asked = invoiceIdField.safeParse(query.get('invoice'))
		const found = asked.success ? await openInvoiceOf(user.id, asked.data) : null
		if (!found) throw new Response((await getT(request))('invoices.errors.not_payable'), { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
		invoice = { id: String(found.id), number: found.number, total: found.total }
	}
	return { balance: walletBalance, invoice, display: (await getStoreSettings()).displayCurrency, ...(await topUpData({ userId: user.id, resellerId: null }, request)) }
}

export async function action({ request }: ActionFunctionArgs) {
	const user = await requireCustomer(request)
	const form = await readForm(request.clone())
	if (form.get('intent') !== 'pay_invoice') return topUpAction({ userId: user.id, resellerId: null }, request, BASE)
	const submission = parseWithZod(form, { schema: InvoiceReceiptSchema })
	if (submission.status !== 'success') return data({ result: submission.reply(), failure: undefined }, { status: 400 })
	try {
		const id = await startInvoiceReceipt(user.id, submission.value.invoice, submission.value.kind)
		return redirectWithToast(`${BASE}/${id}`, { type: 'success', key: 'receipts.toast.started' })
	} catch (e) {
		if (e instanceof InvoiceError) return invoiceFailure(e)
		return failure(e, { hide: null })
	}
}

export default function AccountWallet() {
	const { balance, kinds, payments, invoice, display } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t } = useTranslation()
	const { rial } = useRial()
	return (
		<div className="mx-auto max-w-xl">
			<PageHeader title={t('receipts.account.title')} />
			<div className="mb-4 grid grid-cols-1 gap-3">
				<Stat label={t('receipts.account.balance')} value={<span className="text-lg tabular-nums" data-testid="wallet-balance" data-amount={String(balance)}>{rial(balance)}</span>} />
			</div>
			{invoice ? <InvoiceReceiptCard invoice={invoice} kinds={kinds} display={display} actionData={actionData} /> : <StartPaymentCard kinds={kinds} actionData={actionData as Parameters<typeof StartPaymentCard>[0]['actionData']} />}
			<PaymentList payments={payments} base={BASE} />
		</div>
	)
}
