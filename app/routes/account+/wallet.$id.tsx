import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PaymentPage } from '~/components/payments/payer'
import { PageHeader } from '~/components/shell'
import { paymentAction, paymentData } from '~/services/payments/payer-routes.server'
import { requireCustomer } from '~/utils/auth.server'

const BASE = '/account/wallet'

export async function loader({ request, params }: LoaderFunctionArgs) {
	const user = await requireCustomer(request)
	return { now: Date.now(), ...(await paymentData({ userId: user.id, resellerId: null }, params)) }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const user = await requireCustomer(request)
	return paymentAction({ userId: user.id, resellerId: null }, request, params, BASE)
}

export default function AccountPayment() {
	const { payment, now } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t } = useTranslation()
	return (
		<div className="mx-auto max-w-xl">
			<PageHeader title={t('receipts.page.title', { id: String(payment.id) })} action={<Link to={BASE} className="text-sm text-accent">{t('receipts.backToWallet')}</Link>} />
			<PaymentPage payment={payment} actionData={actionData} base={BASE} now={now} />
		</div>
	)
}
