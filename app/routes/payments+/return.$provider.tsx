// /pay/return/:provider — where the gateway sends the payer's browser back. What the URL says is
// only a pointer: the payment is confirmed by asking the gateway (gateway-callbacks.server.ts).
// The signed-in owner goes back to his wallet with a toast; anyone else (a session that expired
// at the bank) sees the outcome here. A refresh or a replayed link changes nothing.
import { data, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Card } from '~/components/ui/card'
import { handleReturn } from '~/services/payments/gateway-callbacks.server'
import { isGatewayProvider } from '~/services/payments/gateway-settings.server'
import { AREA_OF, getUser } from '~/utils/auth.server'
import { getT } from '~/utils/i18n.server'
import { redirectWithToast } from '~/utils/toast.server'

const WALLET_OF = { reseller: '/reseller/wallet', customer: '/account/wallet', admin: '/admin' } as const

/** The payer-facing word for a payment's state after the return. */
function outcomeKey(status: string) {
	if (status === 'settled') return 'settled'
	if (status === 'cancelled') return 'cancelled'
	if (status === 'awaiting_gateway') return 'pending'
	return 'failed'
}

export async function loader({ request, params }: LoaderFunctionArgs) {
	// Public on purpose (like /sub): the gateway's reference is the capability, and nothing here is
	// believed before the gateway confirms it server to server.
	const user = await getUser(request)
	const t = await getT(request)
	if (!isGatewayProvider(params.provider)) throw new Response(t('gateways.errors.unknownPayment'), { status: 404 })
	const r = await handleReturn(params.provider, request, user)
	if (r.kind === 'refused') throw new Response(t(r.key), { status: r.status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
	const outcome = outcomeKey(r.status)
	if (user && user.id === r.ownerId) {
		const to = r.invoiceId != null && user.role === 'customer' ? `/account/invoices/${r.invoiceId}` : WALLET_OF[user.role]
		return redirectWithToast(to, { type: outcome === 'settled' ? 'success' : outcome === 'pending' ? 'info' : 'error', key: `gateways.outcome.${outcome}` })
	}
	return data({ outcome, home: user ? AREA_OF[user.role] : '/login' }, { headers: { 'Cache-Control': 'no-store' } })
}

export default function PaymentReturn() {
	const { outcome, home } = useLoaderData<typeof loader>()
	const { t } = useTranslation()
	return (
		<main className="flex min-h-dvh items-center justify-center p-4">
			<Card className="w-full max-w-sm p-6 text-center">
				<h1 className="mb-2 text-lg font-semibold">{t('gateways.outcome.title')}</h1>
				<p className="text-sm" role="status">{t(`gateways.outcome.${outcome}`)}</p>
				<Link to={home} className="mt-4 block text-sm text-gray-500 hover:underline">{t('errors.back')}</Link>
			</Card>
		</main>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
