// /pay/ipn/:provider — NOWPayments' server-to-server notification. Authenticated by its
// HMAC-SHA512 signature, not by a session (so exempt from the cross-site check); even a valid one
// is only a pointer: the payment is re-read from NOWPayments' API before it settles. Garbage is a
// 4xx and writes nothing.
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { handleIpn } from '~/services/payments/gateway-callbacks.server'
import { isGatewayProvider } from '~/services/payments/gateway-settings.server'
import { getT } from '~/utils/i18n.server'

const plain = (body: string, status: number) => new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } })

export async function loader({ request }: LoaderFunctionArgs) {
	const t = await getT(request)
	return plain(t('gateways.errors.postOnly'), 405)
}

export async function action({ request, params }: ActionFunctionArgs) {
	// No user: the gateway is the caller, and its signature is checked in handleIpn.
	const t = await getT(request)
	if (!isGatewayProvider(params.provider)) return plain(t('gateways.errors.unknownPayment'), 404)
	const r = await handleIpn(params.provider, request)
	if (r.kind === 'refused') return plain(t(r.key), r.status)
	return plain('OK', 200)
}
