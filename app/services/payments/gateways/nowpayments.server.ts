// NOWPayments (crypto, priced in fiat). Sources read (Dec 2026):
// - API docs (documenter.getpostman.com/view/7907941/2s93JusNJt, mirrored in moemahdi/bitloot
//   docs/nowpayments-API-documentaion.md): x-api-key on every call; POST /v1/invoice {price_amount,
//   price_currency, order_id, order_description, ipn_callback_url, success_url, cancel_url} →
//   {id, invoice_url, …}; GET /v1/payment/{payment_id} → {payment_status, price_amount,
//   price_currency, invoice_id, order_id, …}; POST /v1/auth {email,password} → {token} for
//   GET /v1/payment/?invoiceId=… (the list, Bearer + x-api-key).
// - IPN section of the same docs: POST to ipn_callback_url, header x-nowpayments-sig = hex
//   HMAC-SHA512(IPN secret, JSON of the body with keys sorted). Their first sample sorted only the
//   top level (JSON.stringify(body, Object.keys(body).sort()) — node-nowpayments-api webhook.ts),
//   which as a replacer list also drops nested keys; their later sample sorts recursively, as we do.
// - Statuses: waiting, confirming, confirmed, sending, partially_paid, finished, failed, refunded,
//   expired (nowpayments-api types). Only `finished` settles: confirmed/sending mean the coins are
//   on chain but not yet with the merchant; partially_paid is an underpayment an admin resolves.
// Units: NOWPayments has no IRR, so an invoice is priced in a fiat it supports (USD by default)
// with an explicit Rial-per-unit rate given by the caller; the price is rounded UP to the cent so
// we never undercharge. verify() recomputes the price from OUR Rial amount with the same rate.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createGatewayHttp, type GatewayHttp, type GatewayReply } from './http.server'
import {
	GatewayError, rialToSafeNumber, type CreatedPayment, type CreatePaymentInput, type InquiryResult, type ParsedCallback,
	type PaymentGateway, type VerifyInput, type VerifyResult,
} from './types'

export const NOWPAYMENTS_BASE_URL = 'https://api.nowpayments.io'
export const NOWPAYMENTS_SANDBOX_URL = 'https://api-sandbox.nowpayments.io'

export interface NowPaymentsConfig {
	apiKey: string
	ipnSecret: string
	/** Rial per one unit of priceCurrency (e.g. 1 USD), as quoted when the payment was created. */
	rialPerUnit: bigint
	/** A fiat NOWPayments supports; lower case as their API echoes it. */
	priceCurrency?: string
	baseUrl?: string
	/** The account login, only for inquiring an invoice whose payment id we never learned. */
	email?: string
	password?: string
	timeoutMs?: number
}

interface NowPayment {
	payment_id?: number | string
	invoice_id?: number | string | null
	payment_status?: string
	price_amount?: number | string
	price_currency?: string
	order_id?: string | null
}

const INQUIRY_STATES: Record<string, InquiryResult['state']> = {
	finished: 'paid',
	waiting: 'pending',
	confirming: 'pending',
	confirmed: 'pending',
	sending: 'pending',
	partially_paid: 'pending',
	failed: 'failed',
	expired: 'failed',
	refunded: 'reversed',
}
// Which payment of an invoice speaks for it when a payer tried more than once.
const RANK = ['finished', 'sending', 'confirmed', 'confirming', 'partially_paid', 'waiting', 'refunded', 'failed', 'expired']

/** Keys sorted at every depth, arrays kept in order: the string NOWPayments signs. */
export function sortedJson(value: unknown): string {
	const sort = (v: unknown): unknown => {
		if (Array.isArray(v)) return v.map(sort)
		if (v && typeof v === 'object') {
			return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]))
		}
		return v
	}
	return JSON.stringify(sort(value))
}

export function nowPaymentsSignature(body: unknown, ipnSecret: string) {
	return createHmac('sha512', ipnSecret).update(sortedJson(body)).digest('hex')
}

export function createNowPaymentsGateway(config: NowPaymentsConfig): PaymentGateway {
	if (config.rialPerUnit <= 0n) throw new GatewayError('rejected', 'the Rial rate must be positive')
	const priceCurrency = (config.priceCurrency ?? 'usd').toLowerCase()
	const http: GatewayHttp = createGatewayHttp({
		baseUrl: config.baseUrl ?? NOWPAYMENTS_BASE_URL,
		timeoutMs: config.timeoutMs,
		headers: { 'x-api-key': config.apiKey },
	})

	/** Whole cents of priceCurrency, rounded up. */
	function priceCents(amountRial: bigint) {
		rialToSafeNumber(amountRial)
		const cents = (amountRial * 100n + config.rialPerUnit - 1n) / config.rialPerUnit
		if (cents < 1n) throw new GatewayError('rejected', 'amount is below one cent')
		return cents
	}
	const centsText = (c: bigint) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`

	function ok<T>(reply: GatewayReply<T>): T {
		if (reply.status >= 200 && reply.status < 300 && reply.data) return reply.data
		const body = (reply.data ?? {}) as { code?: string; message?: string }
		const reason = [body.code, body.message].filter(Boolean).join(' ') || `HTTP ${reply.status}`
		if (reply.status === 401 || reply.status === 403) throw new GatewayError('auth_failed', reason, reply.status)
		if (reply.status === 404) throw new GatewayError('not_found', reason, reply.status)
		if (reply.status >= 200 && reply.status < 300) throw new GatewayError('bad_response', 'empty reply', reply.status)
		throw new GatewayError('rejected', reason, reply.status)
	}

	async function getPayment(paymentId: string) {
		if (!/^\d{1,20}$/.test(paymentId)) throw new GatewayError('bad_callback', 'payment id is not numeric')
		return ok(await http.request<NowPayment>('GET', `/v1/payment/${paymentId}`))
	}

	/** The invoice's payments through the account-login list; used only when no IPN ever came. */
	async function paymentsOfInvoice(invoiceId: string) {
		if (!config.email || !config.password) throw new GatewayError('rejected', 'inquiry by invoice needs the account login')
		const auth = ok(await http.request<{ token?: string }>('POST', '/v1/auth', { json: { email: config.email, password: config.password } }))
		if (typeof auth.token !== 'string') throw new GatewayError('bad_response', 'no token in the auth reply')
		const list = ok(await http.request<{ data?: NowPayment[] }>('GET', '/v1/payment/', {
			query: { invoiceId, limit: '100', page: '0' },
			headers: { authorization: `Bearer ${auth.token}` },
		}))
		return Array.isArray(list.data) ? list.data : []
	}

	return {
		provider: 'nowpayments',

		async create(input: CreatePaymentInput): Promise<CreatedPayment> {
			const cents = priceCents(input.amountRial)
			const back = input.returnUrl ?? input.callbackUrl
			const withStatus = (s: string) => `${back}${back.includes('?') ? '&' : '?'}status=${s}`
			const invoice = ok(await http.request<{ id?: string | number; invoice_url?: string }>('POST', '/v1/invoice', {
				json: {
					price_amount: Number(centsText(cents)),
					price_currency: priceCurrency,
					order_id: input.orderRef,
					order_description: input.description,
					ipn_callback_url: input.callbackUrl,
					success_url: withStatus('success'),
					cancel_url: withStatus('cancel'),
				},
			}))
			if ((typeof invoice.id !== 'string' && typeof invoice.id !== 'number') || typeof invoice.invoice_url !== 'string') {
				throw new GatewayError('bad_response', 'no invoice id or url in the reply')
			}
			return { providerRef: String(invoice.id), redirectUrl: invoice.invoice_url, charged: { amount: centsText(cents), currency: priceCurrency }, raw: invoice }
		},

		async parseCallback(input: Request | URLSearchParams): Promise<ParsedCallback> {
			// The browser's return to success_url carries nothing signed; only the IPN POST counts.
			if (input instanceof URLSearchParams) throw new GatewayError('bad_callback', 'NOWPayments callbacks are signed IPN posts')
			const raw = await input.text()
			let body: NowPayment
			try {
				body = JSON.parse(raw) as NowPayment
			} catch {
				throw new GatewayError('bad_callback', 'IPN body is not JSON')
			}
			if (!body || typeof body !== 'object' || Array.isArray(body)) throw new GatewayError('bad_callback', 'IPN body is not an object')
			const given = Buffer.from(input.headers.get('x-nowpayments-sig') ?? '', 'utf8')
			const expected = Buffer.from(nowPaymentsSignature(body, config.ipnSecret), 'utf8')
			if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new GatewayError('bad_signature')
			if (body.invoice_id == null || body.payment_id == null) throw new GatewayError('bad_callback', 'IPN without invoice_id or payment_id')
			const status = String(body.payment_status)
			return {
				providerRef: String(body.invoice_id),
				providerPaymentId: String(body.payment_id),
				statusHint: status === 'finished' ? 'ok' : status === 'failed' || status === 'expired' ? 'cancelled' : 'unknown',
			}
		},

		async verify(input: VerifyInput): Promise<VerifyResult> {
			// The IPN is only a pointer: the status and the amount are read back from the API.
			let payment: NowPayment | undefined
			if (input.providerPaymentId) payment = await getPayment(input.providerPaymentId)
			else payment = pickPayment(await paymentsOfInvoice(input.providerRef))
			if (!payment) return { state: 'pending', raw: null }
			if (String(payment.invoice_id) !== input.providerRef) {
				throw new GatewayError('rejected', 'the payment belongs to another invoice')
			}
			const paidCents = Math.round(Number(payment.price_amount) * 100)
			if (String(payment.price_currency).toLowerCase() !== priceCurrency || BigInt(paidCents) !== priceCents(input.amountRial)) {
				throw new GatewayError('amount_mismatch', `${String(payment.price_amount)} ${String(payment.price_currency)}`)
			}
			const state = INQUIRY_STATES[String(payment.payment_status)]
			if (!state) throw new GatewayError('bad_response', `unknown payment_status ${String(payment.payment_status)}`)
			// NOWPayments has no "verify once": a finished payment stays finished, so a second verify
			// is 'paid' again with the same payment id; UNIQUE(provider, providerRef) makes it credit once.
			const mapped = state === 'reversed' ? 'failed' : state
			return { state: mapped, providerTxId: String(payment.payment_id), raw: payment }
		},

		async inquire({ providerRef, providerPaymentId }): Promise<InquiryResult> {
			const payment = providerPaymentId ? await getPayment(providerPaymentId) : pickPayment(await paymentsOfInvoice(providerRef))
			if (!payment) return { state: 'pending', raw: null }
			const state = INQUIRY_STATES[String(payment.payment_status)]
			if (!state) throw new GatewayError('bad_response', `unknown payment_status ${String(payment.payment_status)}`)
			return { state, providerPaymentId: String(payment.payment_id), raw: payment }
		},

		close: () => http.close(),
	}
}

function pickPayment(payments: NowPayment[]) {
	const rank = (p: NowPayment) => {
		const i = RANK.indexOf(String(p.payment_status))
		return i < 0 ? RANK.length : i
	}
	return [...payments].sort((a, b) => rank(a) - rank(b))[0]
}
