// Coupons at checkout (issue 12): validated against the plan, the user and the clock, reserved
// when applied to a draft, used when the invoice is paid, released when it is voided or expires
// unpaid. The total cap holds under concurrency because a reservation is a guarded
// `UPDATE coupons SET uses = uses + 1 WHERE … uses < max_uses`: the row lock it takes serialises
// concurrent reservations of one coupon, and the per-user count is read after it, under that lock.
import type { Tx } from '~/utils/db.server'
import { InvoiceError } from './errors'
import type { CouponTerms } from './lines'

export const normalizeCode = (code: string) => code.trim().toUpperCase()

type CouponRow = { id: number; code: string; kind: string; value: bigint; plan_ids: number[]; category_ids: number[]; min_subtotal: bigint; max_uses: number | null; max_uses_per_user: number | null; first_purchase_only: boolean; valid_from: Date | null; valid_to: Date | null; active: boolean; uses: number }

export interface CouponContext {
	userId: number
	planId: number | null
	categoryId: number | null
	subtotal: bigint
	now: Date
	/** This invoice (its own reservation does not count against the per-user limit). */
	invoiceId: bigint
}

/** The rules that need no lock: existence, window, scope, minimum, first purchase. */
async function checkTerms(tx: Tx, c: CouponRow | undefined, ctx: CouponContext) {
	if (!c || !c.active) throw new InvoiceError('coupon_invalid')
	if ((c.valid_from && ctx.now < new Date(c.valid_from)) || (c.valid_to && ctx.now > new Date(c.valid_to))) throw new InvoiceError('coupon_expired')
	const scoped = c.plan_ids.length > 0 || c.category_ids.length > 0
	const inScope = (ctx.planId != null && c.plan_ids.includes(ctx.planId)) || (ctx.categoryId != null && c.category_ids.includes(ctx.categoryId))
	if (scoped && !inScope) throw new InvoiceError('coupon_not_applicable')
	if (ctx.subtotal < c.min_subtotal) throw new InvoiceError('coupon_min_subtotal', { min: String(c.min_subtotal) })
	if (c.first_purchase_only) {
		const [p] = await tx.$queryRaw<Array<{ n: bigint }>>`select count(*)::bigint as n from invoices where user_id = ${ctx.userId} and type = 'invoice' and status = 'paid'`
		if (p!.n > 0n) throw new InvoiceError('coupon_first_purchase')
	}
}

/**
 * Reserves `code` for the draft `ctx.invoiceId` (inside the caller's transaction) and returns its
 * terms. Throws a coupon_* InvoiceError when it does not apply; then nothing is reserved.
 */
export async function reserveCoupon(tx: Tx, code: string, ctx: CouponContext): Promise<CouponTerms> {
	const [c] = await tx.$queryRaw<CouponRow[]>`select * from coupons where code = ${normalizeCode(code)}`
	await checkTerms(tx, c, ctx)
	const taken = await tx.$executeRaw`update coupons set uses = uses + 1, updated_at = now() where id = ${c!.id} and (max_uses is null or uses < max_uses)`
	if (!taken) throw new InvoiceError('coupon_exhausted')
	if (c!.max_uses_per_user != null) {
		const [u] = await tx.$queryRaw<Array<{ n: bigint }>>`
			select count(*)::bigint as n from coupon_redemptions where coupon_id = ${c!.id} and user_id = ${ctx.userId} and status <> 'released' and invoice_id <> ${ctx.invoiceId}`
		if (u!.n >= BigInt(c!.max_uses_per_user)) throw new InvoiceError('coupon_user_limit')
	}
	return { id: c!.id, code: c!.code, kind: c!.kind as CouponTerms['kind'], value: BigInt(c!.value) }
}

export async function recordRedemption(tx: Tx, couponId: number, userId: number, invoiceId: bigint, amount: bigint) {
	await tx.$executeRaw`insert into coupon_redemptions (coupon_id, user_id, invoice_id, status, amount) values (${couponId}, ${userId}, ${invoiceId}, 'reserved', ${amount})`
}

/** Gives the invoice's reserved coupon use back (voided, expired unpaid, or replaced on the draft). */
export async function releaseCoupon(tx: Tx, invoiceId: bigint) {
	const released = await tx.$queryRaw<Array<{ coupon_id: number }>>`
		update coupon_redemptions set status = 'released', updated_at = now() where invoice_id = ${invoiceId} and status = 'reserved' returning coupon_id`
	for (const r of released) await tx.$executeRaw`update coupons set uses = uses - 1, updated_at = now() where id = ${r.coupon_id} and uses > 0`
}

/** The reservation becomes a use when the invoice is paid (the count already holds it). */
export async function markCouponUsed(tx: Tx, invoiceId: bigint) {
	await tx.$executeRaw`update coupon_redemptions set status = 'used', updated_at = now() where invoice_id = ${invoiceId} and status = 'reserved'`
}
