// Typed failures of the billing services; routes turn the code into a translated message.
export type BillingErrorCode =
	| 'insufficient_funds' // would pass the credit limit
	| 'blocked_zero_balance' // rule 1: available ≤ 0
	| 'blocked_negative_balance' // rule 2: creation while negative
	| 'pool_exhausted'
	| 'pool_window_closed'
	| 'quote_expired'
	| 'quote_used'
	| 'quote_mismatch' // the inputs changed since the quote
	| 'quote_stale' // what the quote relied on (customer, reseller, prices, nodes) changed since: re-quote
	| 'busy' // the database stayed contended through every retry: try again shortly
	| 'nothing_to_change' // a node change that adds and drops nothing
	| 'node_not_allocated'
	| 'limit_gb'
	| 'limit_days'
	| 'limit_customers'
	| 'username_taken'
	| 'refund_window_over'
	| 'nothing_to_refund'
	| 'not_found'
	| 'invalid_state'

/** The HTTP status a route answers each code with: 409 for a stale quote, 429 when busy. */
export function billingStatus(code: BillingErrorCode) {
	return code === 'quote_stale' || code === 'quote_used' ? 409 : code === 'busy' ? 429 : code === 'not_found' ? 404 : 400
}

export class BillingError extends Error {
	constructor(readonly code: BillingErrorCode, readonly values: Record<string, string | number> = {}) {
		super(code)
		this.name = 'BillingError'
	}
}
