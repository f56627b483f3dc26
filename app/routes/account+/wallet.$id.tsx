import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PaymentPage } from '~/components/payments/payer'
import { PageHeader } from '~/components/shell'
import { paymentAction, paymentData } from '~/services/payments/payer-routes.server'
import { Card } from '~/components/ui/card'
import { requireCustomer } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'

const BASE = '/account/wallet'

export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireCustomer(request)
	const found = await paymentData({ userId: user.id, resellerId: null }, params)
	// A payment for a store invoice says which (his own: user id in the where).
	const link = await prisma.payment.findFirst({ where: { id: found.payment.id, userId: user.id, resellerId: null, purpose: 'invoice' }, select: { invoiceId: true } })
	const inv = link?.invoiceId ? await prisma.invoice.findFirst({ where: { id: link.invoiceId, userId: user.id }, select: { id: true, number: true } }) : null
	const invoice = inv ? { id: String(inv.id), number: inv.number } : null
	return { now: Date.now(), invoice, ...found }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const user = await requireCustomer(request)
	return paymentAction({ userId: user.id, resellerId: null }, request, params, BASE)
}

export default function AccountPayment() {
	const { payment, now, invoice } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t } = useTranslation()
	return (
		<div className="mx-auto max-w-xl">
			<PageHeader title={t('receipts.page.title', { id: String(payment.id) })} action={<Link to={BASE} className="text-sm text-accent">{t('receipts.backToWallet')}</Link>} />
			{invoice ? (
				<Card className="mb-4 flex flex-wrap items-center justify-between gap-2 p-4 text-sm" data-testid="payment-invoice">
					<span>{t('invoices.receipt.forInvoice', { number: invoice.number ?? invoice.id })}</span>
					<Link to={`/account/invoices/${invoice.id}`} className="text-accent hover:underline">{t('invoices.receipt.openInvoice')}</Link>
				</Card>
			) : null}
			<PaymentPage payment={payment} actionData={actionData} base={BASE} now={now} />
		</div>
	)
}
