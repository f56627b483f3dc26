// Building blocks shared by the admin billing forms (plans, resellers, adjustments). Amounts are
// typed as text in a currency only known with the whole form, so they become minor units in the
// form's transform. Messages are translation keys (STYLE.md rule 5).
import { z } from 'zod'
import { normalizeDigits } from '~/utils/format'
import { CURRENCIES, parseMoney, type Currency } from '~/utils/money'
import { wholeNumber } from '~/utils/validation'

export const CURRENCY_CODES = Object.keys(CURRENCIES) as [Currency, ...Currency[]]

export const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean())

/** The raw text of an amount; parsed later with the form's currency. */
export const moneyText = z.string({ error: 'errors.required' }).trim().max(24, { error: 'errors.tooLong' })

export const optionalWhole = (max: number) => wholeNumber({ min: 0, max }).optional()

/** A calendar date from <input type="date"> (YYYY-MM-DD, Persian digits accepted). */
export const dateText = z
	.string()
	.trim()
	.transform((v) => normalizeDigits(v))
	.refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), { error: 'adminBilling.errors.date' })

/** "12.5" in `currency` → minor units; a bad or negative amount becomes an error on `path`. */
export function amountIn(ctx: z.RefinementCtx, at: string | Array<string | number>, input: string, currency: string, { positive = false } = {}) {
	const path = typeof at === 'string' ? [at] : at
	const value = parseMoney(input, currency)
	if (value === null) ctx.addIssue({ code: 'custom', path, message: 'adminBilling.errors.money' })
	else if (value < 0n || (positive && value === 0n)) ctx.addIssue({ code: 'custom', path, message: positive ? 'errors.positive' : 'adminBilling.errors.negative' })
	return value ?? 0n
}

/** min ≤ max for optional limits; the error goes on the max field. */
export function minNotAboveMax(ctx: z.RefinementCtx, min: number | undefined, max: number | undefined, maxPath: string) {
	if (min != null && max != null && min > max) ctx.addIssue({ code: 'custom', path: [maxPath], message: 'adminBilling.errors.minMax' })
}

export const dedupe = <T>(xs: T[]) => [...new Set(xs)]
