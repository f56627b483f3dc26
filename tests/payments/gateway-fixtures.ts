// The two gateway simulators over real sockets, the hub configured to use them (as the admin
// would, sealed), and payers: a reseller whose wallet is in Rial, and an end user.
import { action as startAction } from '~/routes/payments+/online'
import { loader as returnLoader } from '~/routes/payments+/return.$provider'
import { action as ipnAction } from '~/routes/payments+/ipn.$provider'
import { saveGatewaySettings } from '~/services/payments/gateway-settings.server'
import { createSession } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { startNowPaymentsSim, type NowIpn } from '../../sim/nowpayments'
import { SIM_ZARINPAL_MERCHANT, startZarinpalSim } from '../../sim/zarinpal'
import { createUser } from '../factories'
import { BASE, contextFor, formRequest, settle } from '../helpers'

/** 1,000,000 Rial per USD. */
export const RATE = '1000000'

export async function startGatewaySims({ nowLogin = true } = {}) {
	const zarinpal = await startZarinpalSim()
	const nowpayments = await startNowPaymentsSim()
	await saveGatewaySettings('zarinpal', { enabled: true, baseUrl: zarinpal.url, secrets: { merchantId: SIM_ZARINPAL_MERCHANT }, options: { currency: 'IRR' } }, null)
	await saveGatewaySettings(
		'nowpayments',
		{
			enabled: true,
			baseUrl: nowpayments.url,
			secrets: { apiKey: nowpayments.state.apiKey, ipnSecret: nowpayments.state.ipnSecret, ...(nowLogin ? nowpayments.state.login : {}) },
			options: { priceCurrency: 'usd', rialPerUnit: RATE },
		},
		null,
	)
	return { zarinpal, nowpayments, close: async () => void (await Promise.all([zarinpal.close(), nowpayments.close()])) }
}

async function cookieFor(userId: number) {
	return (await createSession(userId, new Request(BASE))).split(';')[0]!
}

export async function irrReseller() {
	const user = await createUser('reseller')
	const reseller = await prisma.reseller.create({ data: { userId: user.id, name: user.username, currency: 'IRR' } })
	return { user, reseller, cookie: await cookieFor(user.id) }
}

export async function endUser() {
	const user = await createUser('customer')
	return { user, cookie: await cookieFor(user.id) }
}

/** POST /pay/online as the payer; returns the gateway URL the browser is sent to and our payment row. */
export async function startPayment(cookie: string, provider: 'zarinpal' | 'nowpayments', amount: string) {
	const res = await settle(() => startAction({ request: formRequest('/pay/online', { provider, amount }, { cookie }), params: {}, context: contextFor() }))
	if (!(res instanceof Response) || res.status !== 302) throw new Error(`start did not redirect: ${res instanceof Response ? res.status : JSON.stringify(res)}`)
	const payment = await prisma.payment.findFirstOrThrow({ where: { channel: 'gateway' }, orderBy: { id: 'desc' } })
	return { redirectUrl: res.headers.get('location')!, payment }
}

/** The payer's browser arriving at a return URL (the one the gateway redirected to). */
export async function browserReturn(url: string, cookie?: string) {
	const u = new URL(url)
	const provider = u.pathname.split('/').pop()!
	const request = new Request(url, { headers: cookie ? { cookie } : {} })
	return settle(() => returnLoader({ request, params: { provider }, context: contextFor() }))
}

/** NOWPayments POSTing an IPN to our webhook. */
export async function deliverIpn(ipn: NowIpn, over: { body?: string; headers?: Record<string, string> } = {}) {
	const url = ipn.url ?? `${BASE}/pay/ipn/nowpayments`
	const request = new Request(url, { method: 'POST', headers: over.headers ?? ipn.headers, body: over.body ?? ipn.body })
	const res = await ipnAction({ request, params: { provider: 'nowpayments' }, context: contextFor() })
	return res as Response
}

/** The wallet's balance and the ledger entries of one payment's settlement. */
export async function moneyOf(paymentId: bigint, wallet: { resellerId: number } | { userId: number }) {
	const balance =
		'resellerId' in wallet
			? (await prisma.reseller.findUniqueOrThrow({ where: { id: wallet.resellerId } })).balance
			: (await prisma.user.findUniqueOrThrow({ where: { id: wallet.userId } })).walletBalance
	// Every leg of every ledger transaction that refers to this payment (the wallet leg and its counter).
	const entries = await prisma.$queryRaw<Array<{ account_code: string; amount: bigint; idempotency_key: string }>>`
		select e.account_code, e.amount, t.idempotency_key from ledger_entries e join ledger_transactions t on t.id = e.transaction_id
		where t.ref_type = 'payment' and t.ref_id = ${String(paymentId)} order by e.id`
	return { balance, entries: entries.map((e) => ({ account: e.account_code, amount: e.amount, key: e.idempotency_key })) }
}
