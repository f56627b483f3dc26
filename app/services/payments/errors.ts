// Typed failures of the payment services (receipts, state changes). Routes turn the code into a
// translated message (receipts.errors.<code>) with `values`, and an HTTP status.
export type PaymentErrorCode =
	| 'not_found'
	| 'no_method' // reserveMethod found no method of that kind with room: offer the other kinds
	| 'too_many_open' // the payer already has the maximum of payments waiting for his transfer
	| 'currency' // only IRR wallets top up by card / IBAN / crypto
	| 'not_open' // the payment cannot take a receipt (or be cancelled) in its state
	| 'duplicate_file' // values.paymentId: the first payment with that file
	| 'duplicate_tracking' // values.paymentId: the first payment with that code for that destination
	| 'already_decided' // values.by, values.at
	| 'claimed' // values.by, values.until: another admin is reviewing it
	| 'not_reviewable'
	| 'not_settled'
	| 'file_missing'
	| 'file_too_big'
	| 'file_type'
	| 'file_broken'
	| 'pdf_script'
	| 'body_too_big'
	| 'storage_unavailable' // the receipt store (S3) refused or did not answer: nothing was written

const STATUS: Partial<Record<PaymentErrorCode, number>> = {
	not_found: 404,
	already_decided: 409,
	claimed: 409,
	not_reviewable: 409,
	not_settled: 409,
	not_open: 409,
	duplicate_file: 409,
	duplicate_tracking: 409,
	no_method: 409,
	too_many_open: 429,
	file_too_big: 413,
	body_too_big: 413,
	file_type: 415,
	storage_unavailable: 503,
}

export const paymentStatus = (code: PaymentErrorCode) => STATUS[code] ?? 400

export class PaymentError extends Error {
	constructor(readonly code: PaymentErrorCode, readonly values: Record<string, string | number> = {}) {
		super(code)
		this.name = 'PaymentError'
	}
}
