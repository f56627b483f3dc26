// The payer's online-payment form (the admin's settings form: gateway-settings-form.ts).
// Error messages are translation keys.
import { z } from 'zod'
import { normalizeDigits } from '~/utils/format'

/** What one online payment may be, in Rial (shared by the form, the page and the start service). */
export const ONLINE_MIN_RIAL = 10_000n
export const ONLINE_MAX_RIAL = 1_000_000_000_000n

export const GATEWAY_NAMES = ['zarinpal', 'nowpayments'] as const

/** Integer Rial typed by a person (Persian digits and separators accepted), kept as a bigint. */
export function rial(min: bigint, max: bigint) {
	return z.preprocess(
		(v) => (typeof v === 'string' ? normalizeDigits(v).replace(/[,٬\s]/g, '') : v),
		z
			.string({ error: 'errors.required' })
			.regex(/^\d{1,15}$/, { error: 'errors.integer' })
			.transform((s) => BigInt(s))
			.refine((v) => v >= min, { error: 'gateways.errors.tooSmall' })
			.refine((v) => v <= max, { error: 'gateways.errors.tooLarge' }),
	)
}

/** A store invoice's id as text (Persian digits accepted). */
export const invoiceIdField = z.preprocess(
	(v) => (typeof v === 'string' ? normalizeDigits(v) : v),
	z.string({ error: 'errors.invalid' }).regex(/^\d{1,18}$/, { error: 'errors.invalid' }).transform((v) => BigInt(v)),
)

/**
 * A wallet top-up (provider + amount), or paying a store invoice (provider + invoice): its total
 * is the amount, read from the invoice, never from the form.
 */
export function startSchema(min: bigint, max: bigint) {
	return z
		.object({
			provider: z.enum(GATEWAY_NAMES, { error: 'gateways.errors.chooseProvider' }),
			amount: rial(min, max).optional(),
			invoice: invoiceIdField.optional(),
		})
		.refine((v) => v.amount !== undefined || v.invoice !== undefined, { path: ['amount'], error: 'errors.required' })
}
