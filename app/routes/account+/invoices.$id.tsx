import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Field } from '~/components/forms'
import { InvoiceView } from '~/components/invoice-view'
import { PageHeader } from '~/components/shell'
import { Button } from '~/components/ui/button'
import { Card } from '~/components/ui/card'
import { InvoiceActionSchema } from '~/models/invoice-form'
import { findUserInvoice } from '~/models/invoice.server'
import { applyCoupon, issueInvoice } from '~/services/invoices/checkout.server'
import { invoiceFailure } from '~/services/invoices/http.server'
import { liveReceiptFor } from '~/services/invoices/pay-receipt.server'
import { payWithWallet } from '~/services/invoices/pay-wallet.server'
import { voidInvoice } from '~/services/invoices/void.server'
import { getStoreSettings } from '~/services/settings.server'
import { requireCustomer } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { readFormFields } from '~/utils/form-data.server'
import type { Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'
import { redirectWithToast } from '~/utils/toast.server'
import { idParam } from '~/utils/validation'

async function ownInvoice(userId: number, params: Record<string, string | undefined>) {
	// The user's id is in the where: another user's invoice is a 404, not a 403.
	const inv = await findUserInvoice(userId, idParam(params))
	if (!inv) throw new Response('Not found', { status: 404 })
	return inv
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireCustomer(request)
	const invoice = await ownInvoice(user.id, params)
	const { walletBalance } = await prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { walletBalance: true } })
	const coupon = invoice.couponId ? await prisma.coupon.findUnique({ where: { id: invoice.couponId }, select: { code: true } }) : null
	// A receipt sent for this invoice (waiting, in review, or rejected): the page says where it stands.
	const receipt = invoice.status === 'open' ? await liveReceiptFor(user.id, invoice.id) : null
	return { invoice, walletBalance, couponCode: coupon?.code ?? null, receipt, display: (await getStoreSettings()).displayCurrency }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const user = await requireCustomer(request)
	const invoice = await ownInvoice(user.id, params)
	const parsed = InvoiceActionSchema.safeParse(await readFormFields(request))
	if (!parsed.success) return data({ error: { key: 'errors.invalid', values: {} } }, { status: 400 })
	const here = `/account/invoices/${invoice.id}`
	try {
		switch (parsed.data.intent) {
			case 'coupon':
				await applyCoupon(user.id, invoice.id, parsed.data.coupon || null)
				return redirectWithToast(here, { type: 'success', key: parsed.data.coupon ? 'invoices.toast.couponApplied' : 'invoices.toast.couponRemoved' })
			case 'remove_coupon':
				await applyCoupon(user.id, invoice.id, null)
				return redirectWithToast(here, { type: 'success', key: 'invoices.toast.couponRemoved' })
			case 'issue': {
				const r = await issueInvoice(user.id, invoice.id)
				const number = (await findUserInvoice(user.id, Number(invoice.id)))?.number ?? ''
				return redirectWithToast(here, { type: 'success', key: r.status === 'paid' ? 'invoices.toast.activated' : 'invoices.toast.issued', values: { number } })
			}
			case 'pay_wallet':
				await payWithWallet(user.id, invoice.id)
				return redirectWithToast(here, { type: 'success', key: 'invoices.toast.paid' })
			case 'void':
				await voidInvoice(invoice.id, user.id)
				return redirectWithToast(here, { type: 'success', key: 'invoices.toast.voided' })
		}
	} catch (e) {
		return invoiceFailure(e)
	}
}

export default function AccountInvoice() {
	const { invoice, walletBalance, couponCode, receipt, display } = useLoaderData<typeof loader>()
	const failure = useActionData<typeof action>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const busy = useNavigation().state === 'submitting'
	const intent = (name: string, label: string, variant: 'primary' | 'secondary' = 'primary') => (
		<Form method="post">
			<input type="hidden" name="intent" value={name} />
			<Button type="submit" variant={variant} pending={busy} className="w-full sm:w-auto">
				{label}
			</Button>
		</Form>
	)
	return (
		<div className="mx-auto max-w-xl space-y-4">
			<PageHeader title={t('invoices.invoice')} action={invoice.status !== 'draft' ? <a href={`/account/invoices/${invoice.id}/pdf`} className="text-sm text-accent hover:underline">{t('invoices.pdf')}</a> : undefined} />
			{failure && 'error' in failure && failure.error ? (
				<p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
					{t(failure.error.key, failure.error.values)}
				</p>
			) : null}
			<InvoiceView invoice={invoice} display={display} />
			{invoice.status === 'draft' ? (
				<Card className="space-y-3 p-4">
					<Form method="post" className="flex items-end gap-2">
						<input type="hidden" name="intent" value="coupon" />
						<Field className="flex-1" label={t('invoices.coupon')} inputProps={{ id: 'coupon', name: 'coupon', defaultValue: couponCode ?? '', autoComplete: 'off', dir: 'ltr', maxLength: 32 }} />
						<Button type="submit" variant="secondary" pending={busy}>{t('invoices.actions.applyCoupon')}</Button>
					</Form>
					<div className="flex flex-col gap-2 sm:flex-row">
						{intent('issue', t('invoices.actions.issue'))}
						{intent('void', t('invoices.actions.void'), 'secondary')}
					</div>
				</Card>
			) : null}
			{invoice.status === 'open' ? (
				<Card className="space-y-3 p-4">
					{receipt ? (
						<p className="flex flex-wrap items-center justify-between gap-2 rounded-lg bg-amber-50 p-3 text-sm text-amber-800 dark:bg-amber-950 dark:text-amber-200" data-testid="invoice-receipt-status" data-status={receipt.status}>
							<span>{t(`invoices.receipt.${receipt.status}`)}</span>
							<Link to={`/account/wallet/${receipt.id}`} className="font-medium underline">{t('invoices.receipt.openPayment')}</Link>
						</p>
					) : null}
					<p className="text-sm text-gray-600 dark:text-gray-400">{t('invoices.walletBalance', { amount: formatMoney(lang, walletBalance, 'IRR', display) })}</p>
					<div className="flex flex-col gap-2 sm:flex-row sm:flex-wrap">
						{walletBalance >= invoice.total ? intent('pay_wallet', t('invoices.actions.payWallet')) : null}
						{/* The payment pages read ?invoice= (receipts and gateways). */}
						<Link to={`/account/wallet?invoice=${invoice.id}`} className="rounded-lg px-3 py-2 text-center text-sm ring-1 ring-gray-300 dark:ring-gray-700">{t('invoices.actions.payReceipt')}</Link>
						<Link to={`/pay/online?invoice=${invoice.id}`} className="rounded-lg px-3 py-2 text-center text-sm ring-1 ring-gray-300 dark:ring-gray-700">{t('invoices.actions.payGateway')}</Link>
						{intent('void', t('invoices.actions.void'), 'secondary')}
					</div>
				</Card>
			) : null}
		</div>
	)
}
