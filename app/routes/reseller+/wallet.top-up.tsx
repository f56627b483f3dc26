import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PaymentList, StartPaymentCard } from '~/components/payments/payer'
import { PageHeader } from '~/components/shell'
import { requireResellerProfile } from '~/models/reseller-area.server'
import { topUpAction, topUpData } from '~/services/payments/payer-routes.server'

const BASE = '/reseller/wallet/top-up'

export async function loader({ request }: LoaderFunctionArgs) {
	const { user, reseller } = await requireResellerProfile(request)
	// Card, IBAN and crypto transfers are Rial amounts: only an IRR wallet can take them.
	return { currency: reseller.currency, ...(await topUpData({ userId: user.id, resellerId: reseller.id }, request)) }
}

export async function action({ request }: ActionFunctionArgs) {
	const { user, reseller } = await requireResellerProfile(request)
	return topUpAction({ userId: user.id, resellerId: reseller.id }, request, BASE)
}

export default function ResellerTopUp() {
	const { currency, kinds, payments } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t } = useTranslation()
	return (
		<div className="mx-auto max-w-xl">
			<PageHeader title={t('receipts.start.pageTitle')} action={<Link to="/reseller/wallet" className="text-sm text-accent">{t('receipts.backToWallet')}</Link>} />
			<StartPaymentCard kinds={kinds} actionData={actionData} blockedReason={currency !== 'IRR' ? t('receipts.start.onlyIrr', { currency }) : null} />
			<PaymentList payments={payments} base={BASE} />
		</div>
	)
}
