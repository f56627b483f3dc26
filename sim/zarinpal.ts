// Zarinpal REST v4 simulator: request / StartPay / verify / inquiry as the docs describe them
// (zarinpal.com/docs/paymentGateway/connectToGateway, …/otherMethods/Inquiry, sdk/nodejs/method/verify).
// Controls (in-process and POST /__sim/<action>): pay, cancel, payWithoutReturn, callbackUrl (to
// replay the same return), plus SimControl's faults.
import { createHash, randomBytes } from 'node:crypto'
import { json, Router, SimControl, startHttpSim, type SimRequest, type SimResponse } from './base'

type SessionStatus = 'IN_BANK' | 'PAID' | 'VERIFIED' | 'FAILED' | 'REVERSED'

export interface ZarinpalSession {
	authority: string
	merchantId: string
	/** In the request's own unit. */
	amount: number
	currency: 'IRR' | 'IRT'
	callbackUrl: string
	description: string
	metadata: Record<string, unknown>
	status: SessionStatus
	refId: number | null
	cardPan: string | null
	verifyCalls: number
}

export interface ZarinpalSimOptions {
	port?: number
	/** Merchant codes the sim accepts; any other is refused with -10 (as the real gateway does). */
	merchants?: string[]
	/** Sandbox authorities start with S (ZarinPal sandbox), production ones with A. */
	sandbox?: boolean
}

export const SIM_ZARINPAL_MERCHANT = '00000000-0000-0000-0000-00000000d3e0'

// {data:[], errors:{…}} is the v4 error envelope; the HTTP status varies by error on the real
// gateway, so the adapter reads errors.code whatever the status.
const error = (status: number, code: number, message: string, validations: unknown[] = []): SimResponse =>
	json(status, { data: [], errors: { code, message, validations } })
const ok = (data: Record<string, unknown>) => json(200, { data, errors: [] })

export async function startZarinpalSim(opts: ZarinpalSimOptions = {}) {
	const merchants = new Set(opts.merchants ?? [SIM_ZARINPAL_MERCHANT])
	const sessions = new Map<string, ZarinpalSession>()
	let nextRef = 201_000_000

	function body(req: SimRequest) {
		return req.json && typeof req.json === 'object' && !Array.isArray(req.json) ? (req.json as Record<string, unknown>) : null
	}
	function merchantOf(b: Record<string, unknown>) {
		const m = b.merchant_id
		return typeof m === 'string' && merchants.has(m) ? m : null
	}

	function request(req: SimRequest): SimResponse {
		const b = body(req)
		if (!b) return error(400, -9, 'The input params invalid, validation error.')
		if (!merchantOf(b)) return error(401, -10, 'Terminal is not valid, please check merchant_id or ip address.')
		const currency = b.currency ?? 'IRR'
		const amount = typeof b.amount === 'string' && /^\d+$/.test(b.amount) ? Number(b.amount) : b.amount
		const validations: Record<string, string>[] = []
		if (currency !== 'IRR' && currency !== 'IRT') validations.push({ currency: 'The selected currency is invalid.' })
		// The minimum is 1,000 Rial (100 Toman).
		const min = currency === 'IRT' ? 100 : 1000
		if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < min) validations.push({ amount: 'The amount must be at least 1000.' })
		if (typeof b.description !== 'string' || b.description === '') validations.push({ description: 'The description field is required.' })
		if (typeof b.callback_url !== 'string' || !/^https?:\/\//.test(b.callback_url)) validations.push({ callback_url: 'The callback url format is invalid.' })
		if (validations.length) return error(400, -9, 'The input params invalid, validation error.', validations)
		const authority = (opts.sandbox ? 'S' : 'A') + randomBytes(18).toString('hex').toUpperCase().slice(0, 35)
		sessions.set(authority, {
			authority, merchantId: b.merchant_id as string, amount: amount as number, currency: currency as 'IRR' | 'IRT',
			callbackUrl: b.callback_url as string, description: b.description as string,
			metadata: (b.metadata && typeof b.metadata === 'object' ? b.metadata : {}) as Record<string, unknown>,
			status: 'IN_BANK', refId: null, cardPan: null, verifyCalls: 0,
		})
		return ok({ code: 100, message: 'Success', authority, fee_type: 'Merchant', fee: 0 })
	}

	function sessionFor(b: Record<string, unknown>): ZarinpalSession | SimResponse {
		const merchant = merchantOf(b)
		if (!merchant) return error(401, -10, 'Terminal is not valid, please check merchant_id or ip address.')
		const s = typeof b.authority === 'string' ? sessions.get(b.authority) : undefined
		if (!s) return error(404, -54, 'Invalid authority.')
		if (s.merchantId !== merchant) return error(403, -53, 'Session is not this merchant_id session.')
		return s
	}

	function verify(req: SimRequest): SimResponse {
		const b = body(req)
		if (!b) return error(400, -9, 'The input params invalid, validation error.')
		const s = sessionFor(b)
		if (!('authority' in s)) return s
		s.verifyCalls++
		if (s.status === 'IN_BANK' || s.status === 'FAILED' || s.status === 'REVERSED') {
			return error(400, -51, 'Session is not valid, session is not active paid try.')
		}
		// The amount must equal the request's, in the request's unit (-50), checked before marking.
		if (Number(b.amount) !== s.amount) return error(400, -50, 'Session is not valid, amounts values is not the same.')
		const code = s.status === 'VERIFIED' ? 101 : 100
		s.status = 'VERIFIED'
		return ok({
			code, message: code === 100 ? 'Paid' : 'Verified', card_hash: createHash('sha256').update(s.cardPan ?? '').digest('hex').toUpperCase(),
			card_pan: s.cardPan, ref_id: s.refId, fee_type: 'Merchant', fee: 0,
		})
	}

	function inquiry(req: SimRequest): SimResponse {
		const b = body(req)
		if (!b) return error(400, -9, 'The input params invalid, validation error.')
		const s = sessionFor(b)
		if (!('authority' in s)) return s
		return ok({ code: 100, message: 'Success', status: s.status })
	}

	function returnUrl(s: ZarinpalSession, ok: boolean) {
		const u = new URL(s.callbackUrl)
		u.searchParams.set('Authority', s.authority)
		u.searchParams.set('Status', ok ? 'OK' : 'NOK')
		return u.toString()
	}
	function get(authority: string) {
		const s = sessions.get(authority)
		if (!s) throw new Error(`unknown authority ${authority}`)
		return s
	}

	/** The payer pays at the bank; returns the URL the browser is sent back to. */
	function pay(authority: string, cardPan = '502229******5995') {
		const s = get(authority)
		if (s.status === 'IN_BANK') {
			s.status = 'PAID'
			s.refId = nextRef++
			s.cardPan = cardPan
		}
		return returnUrl(s, s.status === 'PAID' || s.status === 'VERIFIED')
	}
	/** The payer cancels at the bank (or the bank refuses): Status=NOK. */
	function cancel(authority: string) {
		const s = get(authority)
		if (s.status === 'IN_BANK') s.status = 'FAILED'
		return returnUrl(s, false)
	}

	const control = new (class extends SimControl {
		async handleControl(action: string, b: Record<string, unknown>) {
			const authority = String(b.authority ?? '')
			if (action === 'pay') return { callbackUrl: pay(authority) }
			if (action === 'cancel') return { callbackUrl: cancel(authority) }
			// Paid, but the browser never comes back: only inquiry/verify can find it.
			if (action === 'payWithoutReturn') return (pay(authority), { ok: true })
			if (action === 'callbackUrl') return { callbackUrl: returnUrl(get(authority), get(authority).status !== 'FAILED') }
			return super.handleControl(action, b)
		}
	})({ addTraffic: () => undefined })

	const router = new Router()
		.add('POST', '/pg/v4/payment/request.json', request)
		.add('POST', '/pg/v4/payment/verify.json', verify)
		.add('POST', '/pg/v4/payment/inquiry.json', inquiry)
		// The demo's bank page: two links that act like the payer's choices.
		.add('GET', '/pg/StartPay/:authority', (req) => {
			const s = sessions.get(req.params.authority)
			if (!s) return { status: 404, text: 'Invalid authority', headers: { 'content-type': 'text/html; charset=utf-8' } }
			const a = encodeURIComponent(s.authority)
			return {
				status: 200,
				headers: { 'content-type': 'text/html; charset=utf-8' },
				text: `<!doctype html><meta charset="utf-8"><title>ZarinPal (simulator)</title><p>${s.amount} ${s.currency}: ${escapeHtml(s.description)}</p>` +
					`<p><a href="/pg/StartPay/${a}/pay">Pay</a> · <a href="/pg/StartPay/${a}/cancel">Cancel</a></p>`,
			}
		})
		.add('GET', '/pg/StartPay/:authority/:choice', (req) => {
			if (!sessions.has(req.params.authority)) return { status: 404, text: 'Invalid authority' }
			const to = req.params.choice === 'pay' ? pay(req.params.authority) : cancel(req.params.authority)
			return { status: 302, headers: { location: to }, text: '' }
		})

	const server = await startHttpSim(router, control, { port: opts.port })
	return {
		url: server.url, port: server.port, control, close: server.close,
		state: { sessions, merchants },
		pay, cancel,
		payWithoutReturn: (authority: string) => void pay(authority),
		/** The return URL again, as a browser refresh or a replayed link would send it. */
		callbackUrl: (authority: string) => returnUrl(get(authority), get(authority).status !== 'FAILED'),
	}
}

function escapeHtml(s: string) {
	return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

export type ZarinpalSim = Awaited<ReturnType<typeof startZarinpalSim>>
