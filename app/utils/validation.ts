// Shared zod building blocks. Messages are translation keys (STYLE.md rule 5).
import { z } from 'zod'
import { normalizeDigits } from './format'

const CONTROL = /[\u0000-\u001f\u007f]/
/** Bidi embeddings/overrides/isolates: they make "evil\u202Egnp.exe" display as "evilexe.png" (spoofing). */
const BIDI = /[\u202a-\u202e\u2066-\u2069]/
const CONTROLS_GLOBAL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

/** Ids are Postgres `integer`: a bigger number would make the query itself fail (a 500). */
export const MAX_DB_ID = 2_147_483_647

/** A required single-line text field: trimmed, bounded, no control characters. */
export function text({ min = 1, max = 200 }: { min?: number; max?: number } = {}) {
	return z
		.string({ error: (iss) => (iss.input === undefined ? 'errors.required' : 'errors.invalid') })
		.trim()
		.min(min, { error: min <= 1 ? 'errors.required' : 'errors.tooShort' })
		.max(max, { error: 'errors.tooLong' })
		.refine((v) => !CONTROL.test(v), { error: 'errors.controlChars' })
		.refine((v) => !BIDI.test(v), { error: 'errors.bidiChars' })
}

export function optionalText(max = 500) {
	return z
		.string()
		.trim()
		.max(max, { error: 'errors.tooLong' })
		.refine((v) => !CONTROL.test(v), { error: 'errors.controlChars' })
		.refine((v) => !BIDI.test(v), { error: 'errors.bidiChars' })
		.optional()
}

/** An HTML checkbox: sent as "on" when ticked, absent when not. */
export const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean())

/** An optional http(s) URL with a host (a panel's or a router's address, a proxy). */
export const httpUrl = z
	.string()
	.trim()
	.max(500, { error: 'errors.tooLong' })
	.refine((v) => {
		try {
			const u = new URL(v)
			return (u.protocol === 'http:' || u.protocol === 'https:') && Boolean(u.hostname)
		} catch {
			return false
		}
	}, { error: 'errors.url' })
	.optional()

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

/**
 * A row id as text (URL segment, hidden field, cursor): ASCII, Persian or Arabic digits only, 1..MAX_DB_ID.
 * Stricter than z.coerce.number, which also reads "1e3", "0x10" and " 7 ".
 */
export const dbId = z.preprocess(
	(v) => (typeof v === 'string' ? normalizeDigits(v) : v),
	z
		.string({ error: 'errors.invalid' })
		.regex(/^\d{1,10}$/, { error: 'errors.invalid' })
		.transform(Number)
		.pipe(z.number().int().min(1, { error: 'errors.invalid' }).max(MAX_DB_ID, { error: 'errors.invalid' })),
)

/** A route param that names a row; anything else is a 404 (an id that cannot exist is not found). */
export function idParam(params: Record<string, string | undefined>, name = 'id'): number {
	const parsed = dbId.safeParse(params[name])
	if (!parsed.success) throw new Response('Not found', { status: 404 })
	return parsed.data
}

/** A search box's text, safe to hand to the database: Postgres refuses NUL in text (a 500). */
export function searchText(v: string | null | undefined, max = 100) {
	return (v ?? '').replace(CONTROLS_GLOBAL, '').trim().slice(0, max)
}
