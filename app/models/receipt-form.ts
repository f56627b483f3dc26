// The payer's and the reviewer's forms for receipts (issue 11): one zod schema each, shared by the
// routes of both payer areas. Amounts are whole Rial typed with Persian/Arabic digits and
// separators; the paid-at time is what the bank receipt shows, in Tehran time — Gregorian from
// <input type="datetime-local"> or Jalali as banks print it (1405/09/10 14:30).
import { z } from 'zod'
import { normalizeDigits } from '~/utils/format'
import { optionalText, text } from '~/utils/validation'
import { METHOD_KINDS } from './payment-method-form'

const MIN_AMOUNT = 10_000n
const MAX_AMOUNT = 10_000_000_000_000n

/** Whole Rial: "۵٬۰۰۰٬۰۰۰", "5,000,000" or "5 000 000". */
export const rialAmount = z
	.string({ error: 'errors.required' })
	.trim()
	.max(24, { error: 'errors.tooLong' })
	.transform((v) => normalizeDigits(v).replace(/[,٬\s]/g, ''))
	.refine((v) => /^\d{1,16}$/.test(v), { error: 'receipts.errors.amount' })
	.transform((v) => BigInt(v))
	.refine((v) => v >= MIN_AMOUNT && v <= MAX_AMOUNT, { error: 'receipts.errors.amountRange' })

export const StartSchema = z.object({
	intent: z.literal('start').optional(),
	kind: z.enum(METHOD_KINDS, { error: 'receipts.errors.kind' }),
	amount: rialAmount,
})

// Tehran has been UTC+03:30 all year since 2022 (no DST).
const TEHRAN_OFFSET_MS = 210 * 60_000

// jalaali-js' div/mod truncate toward zero (not floor): (3 - 8) / 6 must be 0.
const div = (a: number) => Math.trunc(a)

/** Jalali → Gregorian (the arithmetic of jalaali-js, jalCal simplified for 1300–1500). */
export function jalaliToGregorian(jy: number, jm: number, jd: number): [number, number, number] {
	// days since 1 Farvardin 1 (epoch 226895 in jalaali-js' JDN terms), via the 33-year rule
	const breaks = [-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324, 2394, 2456, 3178]
	let gy = jy + 621
	let leapJ = -14
	let jp = breaks[0]!
	let jump = 0
	for (let i = 1; i < breaks.length; i++) {
		const jm2 = breaks[i]!
		jump = jm2 - jp
		if (jy < jm2) break
		leapJ += div(jump / 33) * 8 + div((jump % 33) / 4)
		jp = jm2
	}
	let n = jy - jp
	leapJ += div(n / 33) * 8 + div(((n % 33) + 3) / 4)
	if (jump % 33 === 4 && jump - n === 4) leapJ++
	const leapG = div(gy / 4) - div(((div(gy / 100) + 1) * 3) / 4) - 150
	const march = 20 + leapJ - leapG
	const jdnMarch = gregorianToJdn(gy, 3, march)
	const jdn = jdnMarch + (jm - 1) * 31 - div(jm / 7) * (jm - 7) + jd - 1
	n = jdn
	return jdnToGregorian(n)
}

function gregorianToJdn(gy: number, gm: number, gd: number) {
	const d = div(((gy + div((gm - 8) / 6) + 100100) * 1461) / 4) + div((153 * (((gm + 9) % 12)) + 2) / 5) + gd - 34840408
	return d - div((div((gy + 100100 + div((gm - 8) / 6)) / 100) * 3) / 4) + 752
}

function jdnToGregorian(jdn: number): [number, number, number] {
	let j = 4 * jdn + 139361631
	j = j + div((div((4 * jdn + 183187720) / 146097) * 3) / 4) * 4 - 3908
	const i = div((j % 1461) / 4) * 5 + 308
	const gd = div((i % 153) / 5) + 1
	const gm = (div(i / 153) % 12) + 1
	const gy = div(j / 1461) - 100100 + div((8 - gm) / 6)
	return [gy, gm, gd]
}

/** "2026-12-01T14:30", "1405/09/10 14:30" (Tehran wall time) → the instant; null when not a time. */
export function parsePaidAt(input: string): Date | null {
	const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[T\s]+(\d{1,2}):(\d{2})(?::\d{2})?$/.exec(normalizeDigits(input).trim())
	if (!m) return null
	let [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
	const [h, mi] = [Number(m[4]), Number(m[5])]
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null
	if (y < 1700) {
		if (d > (mo <= 6 ? 31 : 30)) return null
		;[y, mo, d] = jalaliToGregorian(y, mo, d)
	}
	const utc = Date.UTC(y, mo - 1, d, h, mi)
	const check = new Date(utc)
	if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null
	return new Date(utc - TEHRAN_OFFSET_MS)
}

export const ReceiptSchema = z
	.object({
		intent: z.literal('submit').optional(),
		amount: rialAmount,
		trackingCode: text({ min: 4, max: 40 }).refine((v) => /^[\p{L}\p{N}\s\-_./:#]+$/u.test(v) && /[\p{N}\p{L}]{4}/u.test(normalizeDigits(v).replace(/[\s\-_./:#]/g, '')), { error: 'receipts.errors.tracking' }),
		payerCardLast4: z
			.string()
			.trim()
			.max(8, { error: 'errors.tooLong' })
			.transform((v) => normalizeDigits(v))
			.refine((v) => v === '' || /^\d{4}$/.test(v), { error: 'receipts.errors.last4' })
			.optional(),
		paidAt: z.string({ error: 'errors.required' }).max(40, { error: 'errors.tooLong' }),
	})
	.transform((v, ctx) => {
		const paidAt = parsePaidAt(v.paidAt)
		if (!paidAt) ctx.addIssue({ code: 'custom', path: ['paidAt'], message: 'receipts.errors.paidAt' })
		else if (paidAt.getTime() > Date.now() + 10 * 60_000 || paidAt.getTime() < Date.now() - 60 * 86_400_000) ctx.addIssue({ code: 'custom', path: ['paidAt'], message: 'receipts.errors.paidAtRange' })
		return { ...v, payerCardLast4: v.payerCardLast4 || null, paidAt: paidAt ?? new Date(0) }
	})

export const ReasonSchema = z.object({
	intent: z.enum(['reject', 'reverse']),
	// The payer reads it: words, not a number or a stray symbol (at least 4 letters, any script).
	reason: text({ min: 4, max: 500 }).refine((v) => (v.match(/\p{L}/gu)?.length ?? 0) >= 4, { error: 'receipts.errors.reason' }),
})

export const AdminFilterSchema = z.object({
	status: z.enum(['open', 'submitted', 'in_review', 'awaiting_transfer', 'settled', 'rejected', 'expired', 'reversed', 'cancelled', 'all']).catch('open'),
	kind: z.enum([...METHOD_KINDS, 'all']).catch('all'),
	method: z.coerce.number().int().min(1).max(2_147_483_647).optional().catch(undefined),
	payer: optionalText(100).catch(undefined),
	from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().catch(undefined),
	to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().catch(undefined),
})
