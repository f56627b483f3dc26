// A BillingError from the billing services becomes a translated form error — every rule (zero
// balance, negative balance, pool, limits, expired quote, funds) the same way, so a form that
// works without JavaScript shows the reason in place. Nothing was written: the services refuse
// before writing (quote) or roll back (execute). A stale quote answers 409 with a fresh quote to
// confirm instead; a database that stayed busy answers 429 with Retry-After.
import type { Submission } from '@conform-to/react'
import { data } from '@remix-run/node'
import { BillingError, billingStatus } from '~/services/billing/errors'
import { formatNumber } from './format'
import { getLang, getT } from './i18n.server'

export async function billingErrorMessage(request: Request, e: BillingError) {
	const lang = await getLang(request)
	const t = await getT(lang)
	const values = Object.fromEntries(Object.entries(e.values).map(([k, v]) => [k, typeof v === 'number' ? formatNumber(lang, v) : v]))
	return t(`billingErrors.${e.code}`, values)
}

export interface ReplyOptions {
	/** On quote_stale: price the same inputs again and return the new confirm step's URL. */
	requote?: () => Promise<string>
}

/** Rethrows anything that is not a BillingError; else `{ result, code, freshQuoteHref, ...extra }`. */
export async function billingErrorReply<X extends Record<string, unknown>>(request: Request, submission: Submission<unknown>, e: unknown, extra?: X, opts: ReplyOptions = {}) {
	if (!(e instanceof BillingError)) throw e
	// The fresh quote may itself be refused (the customer was refunded): then only the message.
	const freshQuoteHref = e.code === 'quote_stale' && opts.requote ? await opts.requote().catch((x) => (x instanceof BillingError ? null : Promise.reject(x))) : null
	const headers: Record<string, string> = e.code === 'busy' ? { 'Retry-After': String(e.values.seconds ?? 2) } : {}
	return data({ result: submission.reply({ formErrors: [await billingErrorMessage(request, e)] }), code: e.code, freshQuoteHref, ...(extra ?? ({} as X)) }, { status: billingStatus(e.code), headers })
}
