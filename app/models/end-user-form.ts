// End-user forms (storefront accounts): registration and the billing profile. One zod schema per
// form, shared by conform (client) and the action (server). Messages are translation keys.
import { z } from 'zod'
import { normalizeDigits } from '~/utils/format'
import { optionalText, text } from '~/utils/validation'

/** Same shape as other logins' usernames: lower-case Latin, digits, _ . - */
export const END_USER_USERNAME = /^[a-z0-9_.-]{3,32}$/

/**
 * An Iranian mobile number in any usual spelling (09121234567, 9121234567, +98 912 123 4567,
 * 0098…, Persian or Arabic digits) → "+989121234567"; null when it is not one.
 */
export function normalizeIranMobile(input: string): string | null {
	const digits = normalizeDigits(input).replace(/[\s()\-‌]/g, '')
	const m = /^(?:\+98|0098|98|0)?(9\d{9})$/.exec(digits)
	return m ? `+98${m[1]}` : null
}

const password = z.string({ error: 'errors.required' }).min(10, { error: 'password.tooShort' }).max(128, { error: 'password.tooLong' })

/** Optional mobile → "+989…" or null; anything else is an error. */
function toMobile(v: string | undefined, ctx: z.RefinementCtx) {
	if (!v) return null
	const n = normalizeIranMobile(v)
	if (!n) ctx.addIssue({ code: 'custom', message: 'register.errors.phone' })
	return n
}

/** Optional email → lower-cased or null. */
function toEmail(v: string | undefined, ctx: z.RefinementCtx) {
	if (!v) return null
	const lower = v.toLowerCase()
	if (!z.email().safeParse(lower).success) ctx.addIssue({ code: 'custom', message: 'register.errors.email' })
	return lower
}

export const RegisterSchema = z
	.object({
		username: text({ max: 32 })
			.transform((v) => normalizeDigits(v).toLowerCase())
			.refine((v) => END_USER_USERNAME.test(v), { error: 'register.errors.username' }),
		phone: optionalText(32).transform(toMobile),
		email: optionalText(254).transform(toEmail),
		password,
		confirm: z.string({ error: 'errors.required' }),
		redirectTo: z.string().max(2000).optional(),
	})
	.refine((v) => v.password === v.confirm, { path: ['confirm'], error: 'password.mismatch' })
export type RegisterForm = z.output<typeof RegisterSchema>

export const ProfileSchema = z.object({
	// Every form of this page says what it is: a body without it (or with garbage) writes nothing.
	intent: z.literal('save', { error: 'errors.invalid' }),
	displayName: optionalText(100),
	phone: optionalText(32).transform(toMobile),
	email: optionalText(254).transform(toEmail),
	billingName: optionalText(120),
	billingAddress: optionalText(500),
})
export type ProfileForm = z.output<typeof ProfileSchema>
