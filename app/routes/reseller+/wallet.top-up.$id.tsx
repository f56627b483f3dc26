import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PaymentPage } from '~/components/payments/payer'
import { PageHeader } from '~/components/shell'
import { requireResellerProfile } from '~/models/reseller-area.server'
import { paymentAction, paymentData } from '~/services/payments/payer-routes.server'

const BASE = '/reseller/wallet/top-up'

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { user, reseller } = await requireResellerProfile(request)
	return { now: Date.now(), ...(await paymentData({ userId: user.id, resellerId: reseller.id }, params)) }
}

export async function action({ request, params }: ActionFunctionArgs) {
	const { user, reseller } = await requireResellerProfile(request)
	return paymentAction({ userId: user.id, resellerId: reseller.id }, request, params, BASE)
}

export default function ResellerPayment() {
	const { payment, now } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t } = useTranslation()
	return (
		<div className="mx-auto max-w-xl">
			<PageHeader title={t('receipts.page.title', { id: String(payment.id) })} action={<Link to={BASE} className="text-sm text-accent">{t('receipts.backToTopUp')}</Link>} />
			<PaymentPage payment={payment} actionData={actionData} base={BASE} now={now} />
		</div>
	)
}
