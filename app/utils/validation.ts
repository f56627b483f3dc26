// Shared zod building blocks. Messages are translation keys (STYLE.md rule 5).
import { z } from 'zod'
import { normalizeDigits } from './format'

const CONTROL = /[\u0000-\u001f\u007f]/

/** A required single-line text field: trimmed, bounded, no control characters. */
export function text({ min = 1, max = 200 }: { min?: number; max?: number } = {}) {
	return z
		.string({ error: (iss) => (iss.input === undefined ? 'errors.required' : 'errors.invalid') })
		.trim()
		.min(min, { error: min <= 1 ? 'errors.required' : 'errors.tooShort' })
		.max(max, { error: 'errors.tooLong' })
		.refine((v) => !CONTROL.test(v), { error: 'errors.controlChars' })
}

export function optionalText(max = 500) {
	return z
		.string()
		.trim()
		.max(max, { error: 'errors.tooLong' })
		.refine((v) => !CONTROL.test(v), { error: 'errors.controlChars' })
		.optional()
}

/** A whole number typed by a person (Persian/Arabic digits accepted). */
export function wholeNumber({ min = 0, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number } = {}) {
	return z.preprocess(
		(v) => (typeof v === 'string' ? normalizeDigits(v).replace(/[,٬\s]/g, '') : v),
		z.coerce
			.number({ error: 'errors.number' })
			.int({ error: 'errors.integer' })
			.min(min, { error: min > 0 ? 'errors.positive' : 'errors.invalid' })
			.max(max, { error: 'errors.tooLong' }),
	)
}
