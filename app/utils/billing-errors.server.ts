// A BillingError from the billing services becomes a translated form error with HTTP 400 — every
// rule (zero balance, negative balance, pool, limits, expired quote, funds) the same way, so a
// form that works without JavaScript shows the reason in place. Nothing was written: the services
// refuse before writing (quote) or roll back (execute).
import type { Submission } from '@conform-to/react'
import { data } from '@remix-run/node'
import { BillingError } from '~/services/billing/errors'
import { formatNumber } from './format'
import { getLang, getT } from './i18n.server'

export async function billingErrorMessage(request: Request, e: BillingError) {
	const lang = await getLang(request)
	const t = await getT(lang)
	const values = Object.fromEntries(Object.entries(e.values).map(([k, v]) => [k, typeof v === 'number' ? formatNumber(lang, v) : v]))
	return t(`billingErrors.${e.code}`, values)
}

/** Rethrows anything that is not a BillingError; else `{ result, code, ...extra }` with 400. */
export async function billingErrorReply<X extends Record<string, unknown>>(request: Request, submission: Submission<unknown>, e: unknown, extra?: X) {
	if (!(e instanceof BillingError)) throw e
	return data({ result: submission.reply({ formErrors: [await billingErrorMessage(request, e)] }), code: e.code, ...(extra ?? ({} as X)) }, { status: 400 })
}
