// Zarinpal REST v4. Sources read (Dec 2026):
// - https://zarinpal.com/docs/paymentGateway/connectToGateway — POST /pg/v4/payment/request.json
//   {merchant_id, amount, currency: IRR|IRT, description, callback_url, metadata{mobile,email,order_id}}
//   → {data:{code:100, authority, fee_type, fee}, errors:[]}; StartPay at /pg/StartPay/<authority>;
//   the payer returns to callback_url?Authority=…&Status=OK|NOK.
// - https://zarinpal.com/docs/sdk/nodejs/method/verify — verify.json {merchant_id, amount, authority};
//   "the amount must come from your database"; code 100 = verified now, 101 = verified before
//   (shetabit/multipay#152: 101 is not an error); data.ref_id, data.card_pan, data.card_hash.
// - https://zarinpal.com/docs/paymentGateway/otherMethods/Inquiry — inquiry.json {merchant_id,
//   authority} → data.status VERIFIED | PAID | IN_BANK | FAILED | REVERSED, "never use it to verify".
// Errors come as {data:[], errors:{code, message, validations}}: -9 validation, -10/-11 merchant,
// -50 amount differs, -51 not a paid session, -53 another merchant's session, -54 bad authority.
import { createGatewayHttp, type GatewayHttp } from './http.server'
import {
	GatewayError, rialToSafeNumber, type CreatedPayment, type CreatePaymentInput, type InquiryResult, type ParsedCallback,
	type PaymentGateway, type VerifyInput, type VerifyResult,
} from './types'

export const ZARINPAL_BASE_URL = 'https://payment.zarinpal.com'
export const ZARINPAL_SANDBOX_URL = 'https://sandbox.zarinpal.com'

export interface ZarinpalConfig {
	/** The 36-character merchant code (sealed like panel credentials by the caller). */
	merchantId: string
	/** Production, sandbox, or a simulator; StartPay lives on the same host. */
	baseUrl?: string
	/** The unit Zarinpal is told; IRT (Toman) needs amounts divisible by 10 Rial. */
	currency?: 'IRR' | 'IRT'
	timeoutMs?: number
}

interface ZarinpalEnvelope {
	data?: { code?: number; message?: string; authority?: string; ref_id?: number | string; card_pan?: string; status?: string } | unknown[]
	errors?: { code?: number; message?: string } | unknown[]
}

const INQUIRY_STATES: Record<string, InquiryResult['state']> = {
	VERIFIED: 'already_verified',
	PAID: 'paid',
	IN_BANK: 'pending',
	FAILED: 'failed',
	REVERSED: 'reversed',
}

export function createZarinpalGateway(config: ZarinpalConfig): PaymentGateway {
	const http: GatewayHttp = createGatewayHttp({
		baseUrl: config.baseUrl ?? ZARINPAL_BASE_URL,
		timeoutMs: config.timeoutMs,
		headers: { 'user-agent': 'GuardinoHub ZarinPal Rest Api v4' },
	})
	const currency = config.currency ?? 'IRR'

	function toGatewayAmount(amountRial: bigint) {
		if (currency === 'IRT' && amountRial % 10n !== 0n) throw new GatewayError('rejected', 'amount is not a whole number of Toman')
		return rialToSafeNumber(currency === 'IRT' ? amountRial / 10n : amountRial)
	}

	async function call(path: string, body: Record<string, unknown>) {
		const reply = await http.request<ZarinpalEnvelope>('POST', path, { json: { merchant_id: config.merchantId, ...body } })
		const env = reply.data ?? {}
		const data = env.data && !Array.isArray(env.data) ? env.data : undefined
		const errors = env.errors && !Array.isArray(env.errors) ? env.errors : undefined
		const code = typeof data?.code === 'number' ? data.code : typeof errors?.code === 'number' ? errors.code : undefined
		if (code === undefined) throw new GatewayError('bad_response', 'no code in the reply', reply.status)
		return { code, data, message: errors?.message ?? data?.message, raw: env, status: reply.status }
	}

	function fail(code: number, message: string | undefined, status: number): never {
		const reason = `${code}${message ? ` ${message}` : ''}`
		if (code === -50) throw new GatewayError('amount_mismatch', reason, status)
		if (code === -54 || code === -11) throw new GatewayError('not_found', reason, status)
		if (code === -10 || code === -12 || code === -15 || code === -16) throw new GatewayError('auth_failed', reason, status)
		throw new GatewayError('rejected', reason, status)
	}

	return {
		provider: 'zarinpal',

		async create(input: CreatePaymentInput): Promise<CreatedPayment> {
			const amount = toGatewayAmount(input.amountRial)
			const metadata: Record<string, string> = { order_id: input.orderRef }
			if (input.payer?.mobile) metadata.mobile = input.payer.mobile
			if (input.payer?.email) metadata.email = input.payer.email
			const r = await call('/pg/v4/payment/request.json', {
				amount, currency, description: input.description, callback_url: input.callbackUrl, metadata,
			})
			if (r.code !== 100) fail(r.code, r.message, r.status)
			const authority = r.data?.authority
			if (typeof authority !== 'string' || !/^[A-Za-z0-9]{10,64}$/.test(authority)) {
				throw new GatewayError('bad_response', 'no authority in the reply', r.status)
			}
			return {
				providerRef: authority,
				redirectUrl: `${http.baseUrl}/pg/StartPay/${authority}`,
				charged: { amount: String(amount), currency },
				raw: r.raw,
			}
		},

		async parseCallback(input: Request | URLSearchParams): Promise<ParsedCallback> {
			const query = input instanceof URLSearchParams ? input : new URL(input.url).searchParams
			const authority = query.get('Authority')
			if (!authority || !/^[A-Za-z0-9]{10,64}$/.test(authority)) throw new GatewayError('bad_callback', 'no Authority')
			const status = query.get('Status')
			return { providerRef: authority, statusHint: status === 'OK' ? 'ok' : status === 'NOK' ? 'cancelled' : 'unknown' }
		},

		async verify(input: VerifyInput): Promise<VerifyResult> {
			const r = await call('/pg/v4/payment/verify.json', { amount: toGatewayAmount(input.amountRial), authority: input.providerRef })
			const tx = {
				providerTxId: r.data?.ref_id !== undefined ? String(r.data.ref_id) : undefined,
				cardPan: typeof r.data?.card_pan === 'string' ? r.data.card_pan : undefined,
				raw: r.raw,
			}
			if (r.code === 100) return { state: 'paid', ...tx }
			if (r.code === 101) return { state: 'already_verified', ...tx }
			// -51: the session was never paid (cancelled at the bank, or still there and abandoned).
			if (r.code === -51) return { state: 'failed', raw: r.raw }
			fail(r.code, r.message, r.status)
		},

		async inquire({ providerRef }): Promise<InquiryResult> {
			const r = await call('/pg/v4/payment/inquiry.json', { authority: providerRef })
			if (r.code !== 100) fail(r.code, r.message, r.status)
			const state = INQUIRY_STATES[String(r.data?.status)]
			if (!state) throw new GatewayError('bad_response', `unknown inquiry status ${String(r.data?.status)}`, r.status)
			return { state, raw: r.raw }
		},

		close: () => http.close(),
	}
}
