import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PaymentList, StartPaymentCard } from '~/components/payments/payer'
import { useRial } from '~/components/payments/parts'
import { PageHeader } from '~/components/shell'
import { Stat } from '~/components/ui/card'
import { topUpAction, topUpData } from '~/services/payments/payer-routes.server'
import { requireCustomer } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'

const BASE = '/account/wallet'

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireCustomer(request)
	// An end user's wallet is IRR: users.wallet_balance, kept by the ledger.
	const { walletBalance } = await prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { walletBalance: true } })
	return { balance: walletBalance, ...(await topUpData({ userId: user.id, resellerId: null }, request)) }
}

export async function action({ request }: ActionFunctionArgs) {
	const user = await requireCustomer(request)
	return topUpAction({ userId: user.id, resellerId: null }, request, BASE)
}

export default function AccountWallet() {
	const { balance, kinds, payments } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t } = useTranslation()
	const { rial } = useRial()
	return (
		<div className="mx-auto max-w-xl">
			<PageHeader title={t('receipts.account.title')} />
			<div className="mb-4 grid grid-cols-1 gap-3">
				<Stat label={t('receipts.account.balance')} value={<span className="text-lg tabular-nums" data-testid="wallet-balance" data-amount={String(balance)}>{rial(balance)}</span>} />
			</div>
			<StartPaymentCard kinds={kinds} actionData={actionData} />
			<PaymentList payments={payments} base={BASE} />
		</div>
	)
}
