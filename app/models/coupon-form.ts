// The admin's coupon form (issue 12): text as typed → the stored shape. Percent in basis points
// ("12.5" → 1250), fixed amounts in Rial; dates are Tehran calendar days (valid from its first
// moment to the last moment of the end day). Messages are translation keys.
import { z } from 'zod'
import { normalizeDigits } from '~/utils/format'
import { checkbox } from './billing-form'

const TEHRAN_OFFSET_MS = 210 * 60_000 // UTC+03:30 all year (no DST since 2022)

const optionalWhole = z.preprocess(
	(v) => (typeof v === 'string' ? normalizeDigits(v).replace(/[,٬\s]/g, '') : v),
	z.union([z.literal('').transform(() => null), z.string().regex(/^\d{1,12}$/, { error: 'errors.number' }).transform(Number)]).optional().transform((v) => v ?? null),
)

const day = z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'errors.invalid' })]).optional()
const tehranDay = (d: string, end: boolean) => new Date(Date.parse(`${d}T00:00:00Z`) - TEHRAN_OFFSET_MS + (end ? 86_400_000 - 1 : 0))

const ids = z.array(z.string().regex(/^\d{1,9}$/, { error: 'errors.invalid' }).transform(Number)).max(200).default([])

export const CouponFormSchema = z
	.object({
		code: z.string().trim().toUpperCase().regex(/^[A-Z0-9-]{2,32}$/, { error: 'invoices.coupons.errors.code' }),
		kind: z.enum(['percent', 'fixed'], { error: 'errors.required' }),
		value: z.string().trim().transform((v) => normalizeDigits(v).replace(/[,٬\s]/g, '').replace('٫', '.')),
		planIds: ids,
		categoryIds: ids,
		minSubtotal: optionalWhole,
		maxUses: optionalWhole,
		maxUsesPerUser: optionalWhole,
		firstPurchaseOnly: checkbox,
		active: checkbox,
		validFrom: day,
		validTo: day,
	})
	.transform((f, ctx) => {
		const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(f.value)
		let value = 0n
		if (m && f.kind === 'percent') value = BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0') || '0')
		else if (m && f.kind === 'fixed' && !m[2]) value = BigInt(m[1]!)
		if (value <= 0n || (f.kind === 'percent' && value > 10_000n)) ctx.addIssue({ code: 'custom', path: ['value'], message: 'invoices.coupons.errors.value' })
		const validFrom = f.validFrom ? tehranDay(f.validFrom, false) : null
		const validTo = f.validTo ? tehranDay(f.validTo, true) : null
		if (validFrom && validTo && validTo <= validFrom) ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'invoices.coupons.errors.window' })
		const int = (v: number | null) => (v == null ? null : Math.min(v, 2_147_483_647))
		return {
			code: f.code,
			kind: f.kind,
			value,
			planIds: f.planIds,
			categoryIds: f.categoryIds,
			minSubtotal: BigInt(f.minSubtotal ?? 0),
			maxUses: int(f.maxUses),
			maxUsesPerUser: int(f.maxUsesPerUser),
			firstPurchaseOnly: f.firstPurchaseOnly,
			active: f.active,
			validFrom,
			validTo,
		}
	})
export type CouponForm = z.output<typeof CouponFormSchema>

/** A stored value back as the form shows it. */
export const couponValueText = (kind: string, value: bigint) => (kind === 'percent' ? (Number(value) / 100).toString() : String(value))
export const tehranDayText = (d: Date | null) => (d ? new Date(d.getTime() + TEHRAN_OFFSET_MS).toISOString().slice(0, 10) : '')
