// The one interface every online payment gateway implements. The flow is
// create → redirect the payer → callback (a hint only) → verify server to server with the amount
// from OUR database → settle; inquire feeds the reconciliation job for payers who never came back.
// Nothing a payer's browser or a webhook says is trusted until verify() has asked the gateway.

export const GATEWAY_ERROR_CODES = [
	'unreachable', // DNS, refused, reset before a reply
	'timeout', // no reply in time: the gateway may or may not have done the work
	'server_error', // 5xx
	'bad_response', // a reply we cannot understand
	'auth_failed', // the merchant key / API key was refused
	'rejected', // the gateway refused the input (validation, unsupported unit or currency)
	'not_found', // unknown authority / invoice / payment
	'amount_mismatch', // the gateway's amount is not the one in our database: never settle
	'bad_signature', // a webhook whose signature does not match: forged or tampered
	'bad_callback', // a callback missing the fields we need
] as const
export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[number]

export class GatewayError extends Error {
	constructor(
		readonly code: GatewayErrorCode,
		/** The gateway's own words or code, if any; never a key. */
		readonly reason?: string,
		readonly status?: number,
	) {
		super(reason ? `${code}: ${reason}` : code)
		this.name = 'GatewayError'
	}
}

export function isGatewayError(e: unknown, code?: GatewayErrorCode): e is GatewayError {
	return e instanceof GatewayError && (code === undefined || e.code === code)
}

export type GatewayProviderName = 'zarinpal' | 'nowpayments'

export interface CreatePaymentInput {
	/** Integer Rial from our payment row; each provider converts to the unit it declares. */
	amountRial: bigint
	/** Our payment's reference (sent as order_id so the gateway's panel can be searched by it). */
	orderRef: string
	/** Zarinpal: where the payer's browser returns. NowPayments: the IPN (server-to-server) URL. */
	callbackUrl: string
	description: string
	/** NowPayments only: where the payer's browser lands after paying or cancelling. */
	returnUrl?: string
	payer?: { mobile?: string; email?: string }
}

export interface CreatedPayment {
	/** The gateway's reference (Zarinpal authority, NowPayments invoice id): UNIQUE(provider, providerRef). */
	providerRef: string
	redirectUrl: string
	/** What the gateway was asked to charge, in its own unit, for the payment row and the audit log. */
	charged: { amount: string; currency: string }
	raw: unknown
}

export type CallbackHint = 'ok' | 'cancelled' | 'unknown'

export interface ParsedCallback {
	providerRef: string
	/** What the callback claims. A hint for the UI only: verify() decides. */
	statusHint: CallbackHint
	/** NowPayments: the payment id inside the invoice, which verify() re-queries. */
	providerPaymentId?: string
}

export interface VerifyInput {
	providerRef: string
	/** From our database, never from the callback. */
	amountRial: bigint
	providerPaymentId?: string
}

export type VerifyState = 'paid' | 'pending' | 'failed' | 'already_verified'

export interface VerifyResult {
	state: VerifyState
	/** The gateway's transaction id (Zarinpal ref_id, NowPayments payment_id). */
	providerTxId?: string
	/** Masked card number when the gateway tells it (Zarinpal). */
	cardPan?: string
	raw: unknown
}

export type InquiryState = 'paid' | 'pending' | 'failed' | 'already_verified' | 'reversed'

export interface InquiryResult {
	/** 'paid' means paid at the gateway but not yet verified by us: call verify() next. */
	state: InquiryState
	providerPaymentId?: string
	raw: unknown
}

export interface PaymentGateway {
	readonly provider: GatewayProviderName
	create(input: CreatePaymentInput): Promise<CreatedPayment>
	/** Reads the callback (query string or webhook). Throws bad_signature / bad_callback. */
	parseCallback(input: Request | URLSearchParams): Promise<ParsedCallback>
	verify(input: VerifyInput): Promise<VerifyResult>
	inquire(input: { providerRef: string; providerPaymentId?: string }): Promise<InquiryResult>
	close(): Promise<void>
}

/** Rial amounts leave our code as JSON numbers; past 2^53 is a caller bug, not a payment. */
export function rialToSafeNumber(amountRial: bigint): number {
	if (amountRial <= 0n) throw new GatewayError('rejected', 'amount must be positive')
	if (amountRial > BigInt(Number.MAX_SAFE_INTEGER)) throw new GatewayError('rejected', 'amount too large')
	return Number(amountRial)
}
