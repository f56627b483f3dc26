// NOWPayments simulator: invoices, payments, the account-login payment list and signed IPNs, as
// their API docs describe them (documenter.getpostman.com/view/7907941/2s93JusNJt). The IPN
// signature is hex HMAC-SHA512(IPN secret, JSON with keys sorted at every depth); written here
// from the docs, not from our adapter. Controls (in-process and POST /__sim/<action>): pay, cancel,
// payWithoutReturn (the IPN is lost), forgedIpn, sendIpn (deliver to ipn_callback_url), and
// SimControl's faults. A replay is the same IPN sent again.
import { createHmac } from 'node:crypto'
import { json, Router, SimControl, startHttpSim, TokenStore, type SimRequest, type SimResponse } from './base'

export interface NowInvoice {
	id: string
	orderId: string | null
	description: string | null
	priceAmount: number
	priceCurrency: string
	ipnCallbackUrl: string | null
	successUrl: string | null
	cancelUrl: string | null
	createdAt: string
}

export interface NowPaymentRecord {
	payment_id: number
	invoice_id: number
	payment_status: string
	pay_address: string
	price_amount: number
	price_currency: string
	pay_amount: number
	actually_paid: number
	pay_currency: string
	order_id: string | null
	order_description: string | null
	purchase_id: number
	outcome_amount: number
	outcome_currency: string
	created_at: string
	updated_at: string
}

export interface NowIpn {
	url: string | null
	/** The exact bytes NOWPayments would POST. */
	body: string
	headers: Record<string, string>
}

export interface NowPaymentsSimOptions {
	port?: number
	apiKey?: string
	ipnSecret?: string
	email?: string
	password?: string
}

export const SIM_NOWPAYMENTS_API_KEY = 'SIMKEY1-NOWPAYMENTS-DEMO'
export const SIM_NOWPAYMENTS_IPN_SECRET = 'sim-ipn-secret'
// A subset of their fiat list; IRR is not among NOWPayments' price currencies.
const FIATS = new Set(['usd', 'eur', 'gbp', 'try', 'aed', 'cad', 'aud'])

const fail = (status: number, code: string, message: string): SimResponse => json(status, { status: false, statusCode: status, code, message })

function sortDeep(v: unknown): unknown {
	if (Array.isArray(v)) return v.map(sortDeep)
	if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]))
	return v
}

export async function startNowPaymentsSim(opts: NowPaymentsSimOptions = {}) {
	const apiKey = opts.apiKey ?? SIM_NOWPAYMENTS_API_KEY
	const ipnSecret = opts.ipnSecret ?? SIM_NOWPAYMENTS_IPN_SECRET
	const login = { email: opts.email ?? 'merchant@example.com', password: opts.password ?? 'merchant' }
	const tokens = new TokenStore(300)
	const invoices = new Map<string, NowInvoice>()
	const payments = new Map<number, NowPaymentRecord>()
	let nextInvoice = 4_522_625_843
	let nextPayment = 5_077_125_051
	let baseUrl = ''

	const keyed = (req: SimRequest) => req.headers['x-api-key'] === apiKey
	const body = (req: SimRequest) =>
		req.json && typeof req.json === 'object' && !Array.isArray(req.json) ? (req.json as Record<string, unknown>) : null
	const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null)

	function createInvoice(req: SimRequest): SimResponse {
		if (!keyed(req)) return fail(403, 'INVALID_API_KEY', 'Invalid api key')
		const b = body(req)
		if (!b) return fail(400, 'INVALID_REQUEST_PARAMS', 'body is required')
		const amount = typeof b.price_amount === 'string' ? Number(b.price_amount) : b.price_amount
		if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0) return fail(400, 'INVALID_REQUEST_PARAMS', '"price_amount" must be a positive number')
		const currency = String(b.price_currency ?? '').toLowerCase()
		if (!FIATS.has(currency)) return fail(400, 'INVALID_REQUEST_PARAMS', `"price_currency" ${currency || '(empty)'} is not supported`)
		const now = new Date().toISOString()
		const inv: NowInvoice = {
			id: String(nextInvoice++), orderId: str(b.order_id), description: str(b.order_description), priceAmount: amount, priceCurrency: currency,
			ipnCallbackUrl: str(b.ipn_callback_url), successUrl: str(b.success_url), cancelUrl: str(b.cancel_url), createdAt: now,
		}
		invoices.set(inv.id, inv)
		return json(200, {
			id: inv.id, token_id: inv.id.slice(-8), order_id: inv.orderId, order_description: inv.description,
			price_amount: String(inv.priceAmount), price_currency: inv.priceCurrency, pay_currency: null,
			ipn_callback_url: inv.ipnCallbackUrl, invoice_url: `${baseUrl}/payment/?iid=${inv.id}`,
			success_url: inv.successUrl, cancel_url: inv.cancelUrl, created_at: now, updated_at: now,
		})
	}

	function getPayment(req: SimRequest): SimResponse {
		if (!keyed(req)) return fail(403, 'INVALID_API_KEY', 'Invalid api key')
		const p = payments.get(Number(req.params.id))
		return p ? json(200, p) : fail(404, 'NOT_FOUND', 'Payment not found')
	}

	function listPayments(req: SimRequest): SimResponse {
		if (!keyed(req)) return fail(403, 'INVALID_API_KEY', 'Invalid api key')
		if (!tokens.fromRequest(req)) return fail(401, 'AUTH_REQUIRED', 'Authorization header is empty (Bearer JWTtoken is required)')
		const invoiceId = req.query.get('invoiceId')
		const limit = Math.min(500, Math.max(1, Number(req.query.get('limit') ?? 10) || 10))
		const page = Math.max(0, Number(req.query.get('page') ?? 0) || 0)
		const all = [...payments.values()].filter((p) => !invoiceId || String(p.invoice_id) === invoiceId)
		return json(200, { data: all.slice(page * limit, (page + 1) * limit), limit, page, pagesCount: Math.ceil(all.length / limit), total: all.length })
	}

	function auth(req: SimRequest): SimResponse {
		const b = body(req)
		if (!b || b.email !== login.email || b.password !== login.password) return fail(401, 'INVALID_CREDENTIALS', 'Invalid email or password')
		return json(200, { token: tokens.issue(login.email) })
	}

	function invoice(id: string) {
		const inv = invoices.get(id)
		if (!inv) throw new Error(`unknown invoice ${id}`)
		return inv
	}

	function ipnFor(p: NowPaymentRecord, secret = ipnSecret): NowIpn {
		const inv = invoice(String(p.invoice_id))
		// A nested object, as the real IPN has, so a top-level-only sort would not match.
		const payload = { ...p, fee: { currency: p.pay_currency, depositFee: 0, withdrawalFee: 0, serviceFee: 0 } }
		const sig = createHmac('sha512', secret).update(JSON.stringify(sortDeep(payload))).digest('hex')
		return { url: inv.ipnCallbackUrl, body: JSON.stringify(payload), headers: { 'content-type': 'application/json', 'x-nowpayments-sig': sig } }
	}

	function record(inv: NowInvoice, o: { status?: string; paidFraction?: number }): NowPaymentRecord {
		const now = new Date().toISOString()
		const payAmount = Number((inv.priceAmount * 1.003).toFixed(6))
		return {
			payment_id: nextPayment++, invoice_id: Number(inv.id), payment_status: o.status ?? 'finished', pay_address: 'TSim' + inv.id,
			price_amount: inv.priceAmount, price_currency: inv.priceCurrency, pay_amount: payAmount,
			actually_paid: Number((payAmount * (o.paidFraction ?? 1)).toFixed(6)), pay_currency: 'usdttrc20',
			order_id: inv.orderId, order_description: inv.description, purchase_id: nextPayment + 1_000_000,
			outcome_amount: inv.priceAmount, outcome_currency: 'usdttrc20', created_at: now, updated_at: now,
		}
	}

	/** The payer pays the invoice (status `finished` unless told otherwise); returns the IPN to deliver. */
	function pay(invoiceId: string, o: { status?: string; paidFraction?: number } = {}) {
		const p = record(invoice(invoiceId), o)
		payments.set(p.payment_id, p)
		return ipnFor(p)
	}
	/** The invoice ran out unpaid (the payer left through cancel_url): an `expired` payment. */
	const cancel = (invoiceId: string) => pay(invoiceId, { status: 'expired', paidFraction: 0 })
	/** Paid, but the IPN is lost: only the API can tell. */
	const payWithoutReturn = (invoiceId: string) => void pay(invoiceId)
	/** A `finished` notification for an invoice nobody paid, signed with a guessed secret; nothing is stored. */
	const forgedIpn = (invoiceId: string) => ipnFor(record(invoice(invoiceId), { status: 'finished' }), 'guessed-secret')
	/** POSTs an IPN to its ipn_callback_url (the demo); returns the receiver's status. */
	async function sendIpn(ipn: NowIpn) {
		if (!ipn.url) throw new Error('the invoice has no ipn_callback_url')
		const res = await fetch(ipn.url, { method: 'POST', headers: ipn.headers, body: ipn.body })
		return res.status
	}

	const control = new (class extends SimControl {
		async handleControl(action: string, b: Record<string, unknown>) {
			const id = String(b.invoiceId ?? '')
			const deliver = async (ipn: NowIpn) => (b.deliver ? { ipn, delivered: await sendIpn(ipn) } : { ipn })
			if (action === 'pay') return deliver(pay(id, { status: typeof b.status === 'string' ? b.status : undefined }))
			if (action === 'cancel') return deliver(cancel(id))
			if (action === 'payWithoutReturn') return (payWithoutReturn(id), { ok: true })
			if (action === 'forgedIpn') return deliver(forgedIpn(id))
			return super.handleControl(action, b)
		}
	})({ addTraffic: () => undefined })

	const router = new Router()
		.add('POST', '/v1/invoice', createInvoice)
		.add('GET', '/v1/payment/:id', getPayment)
		.add('GET', '/v1/payment', listPayments)
		.add('POST', '/v1/auth', auth)
		// The demo's invoice page.
		.add('GET', '/payment', (req) => {
			const inv = invoices.get(req.query.get('iid') ?? '')
			if (!inv) return { status: 404, text: 'Invoice not found' }
			return {
				status: 200, headers: { 'content-type': 'text/html; charset=utf-8' },
				text: `<!doctype html><meta charset="utf-8"><title>NOWPayments (simulator)</title><p>${inv.priceAmount} ${inv.priceCurrency.toUpperCase()}</p>` +
					`<p><a href="/payment/pay?iid=${inv.id}">Pay</a> · <a href="/payment/cancel?iid=${inv.id}">Cancel</a></p>` +
					`<p>Or POST /__sim/pay {"invoiceId":"${inv.id}","deliver":true}, then <a href="${inv.successUrl ?? '#'}">return</a>.</p>`,
			}
		})
		// The demo payer's choices, like the real invoice page: the payment happens, NOWPayments
		// POSTs the signed IPN to ipn_callback_url, and the browser goes to success_url / cancel_url.
		.add('GET', '/payment/:choice', async (req) => {
			const inv = invoices.get(req.query.get('iid') ?? '')
			if (!inv || (req.params.choice !== 'pay' && req.params.choice !== 'cancel')) return { status: 404, text: 'Invoice not found' }
			const ipn = req.params.choice === 'pay' ? pay(inv.id) : cancel(inv.id)
			if (ipn.url) await sendIpn(ipn).catch(() => undefined) // a lost IPN: the hub's reconciliation finds the payment
			const to = req.params.choice === 'pay' ? inv.successUrl : inv.cancelUrl
			return to ? { status: 302, headers: { location: to }, text: '' } : { status: 200, text: 'Done' }
		})

	const server = await startHttpSim(router, control, { port: opts.port })
	baseUrl = server.url
	return {
		url: server.url, port: server.port, control, close: server.close,
		state: { invoices, payments, apiKey, ipnSecret, login },
		pay, cancel, payWithoutReturn, forgedIpn, sendIpn,
	}
}

export type NowPaymentsSim = Awaited<ReturnType<typeof startNowPaymentsSim>>
