// Typed failures of checkout and invoices; routes turn the code into a translated message
// (invoices.errors.<code>) and a 4xx.
export type InvoiceErrorCode =
	| 'not_found'
	| 'not_for_sale' // plan inactive, hidden from the store, or without nodes
	| 'invalid_state' // e.g. paying a draft, issuing a paid invoice
	| 'trial_used'
	| 'exclusive_category' // a second service in an exclusive category: renew or upgrade instead
	| 'not_an_upgrade' // upgrade to the same plan
	| 'coupon_invalid'
	| 'coupon_expired'
	| 'coupon_not_applicable'
	| 'coupon_min_subtotal'
	| 'coupon_exhausted'
	| 'coupon_user_limit'
	| 'coupon_first_purchase'
	| 'insufficient_funds'
	| 'credit_too_large'
	| 'busy'
	| 'not_payable' // paying an invoice that is not the user's open invoice (paid, void, draft)
	| 'change_scheduled' // a plan change is already scheduled for this service: it must take effect first

export class InvoiceError extends Error {
	constructor(readonly code: InvoiceErrorCode, readonly values: Record<string, string | number> = {}) {
		super(code)
		this.name = 'InvoiceError'
	}
}

export function invoiceStatus(code: InvoiceErrorCode) {
	return code === 'not_found' ? 404 : code === 'busy' ? 429 : code === 'invalid_state' || code === 'not_payable' || code === 'change_scheduled' ? 409 : 400
}
