// Checkout → draft → issue (issue 12). A draft holds explicit lines and may take a coupon (the
// coupon is reserved on it); issuing re-prices it against the present (prices, the proration to
// the second), takes the gapless number and freezes it in the same transaction. A 0-total
// invoice (a trial, a zero-price plan, an upgrade fully covered by its credit) is paid at issue.
import { moneyTransaction } from '~/services/billing/transaction.server'
import { BillingError } from '~/services/billing/errors'
import { isUniqueViolation } from '~/services/billing/ledger.server'
import { prisma, type Tx } from '~/utils/db.server'
import { releaseCoupon, recordRedemption, reserveCoupon } from './coupons.server'
import { InvoiceError } from './errors'
import { buildInvoice, type BuiltInvoice, type CouponTerms } from './lines'
import { takeNumber } from './numbering.server'
import { priceCheckout, type CheckoutRequest, type PricedCheckout } from './pricing.server'
import { onInvoicePaid } from './settle.server'
import { getStoreBilling, INVOICE_DUE_HOURS } from './store-settings.server'

/** Contention becomes InvoiceError('busy') (429), like the reseller money paths. */
export async function invoiceTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
	try {
		return await moneyTransaction(fn)
	} catch (e) {
		if (e instanceof BillingError) throw new InvoiceError(e.code === 'insufficient_funds' ? 'insufficient_funds' : e.code === 'not_found' ? 'not_found' : 'busy')
		throw e
	}
}

type DraftRow = { id: bigint; user_id: number; status: string; kind: string; plan_id: number | null; customer_id: number | null; traffic_bytes: bigint; coupon_id: number | null }

async function lockOwnInvoice(tx: Tx, userId: number, invoiceId: bigint) {
	const [row] = await tx.$queryRaw<DraftRow[]>`
		select id, user_id, status::text, kind, plan_id, customer_id, traffic_bytes, coupon_id from invoices
		where id = ${invoiceId} and user_id = ${userId} and type = 'invoice' for update`
	if (!row) throw new InvoiceError('not_found')
	return row
}

/** Replaces a draft's lines and totals with `built`. */
async function writeDraft(tx: Tx, invoiceId: bigint, priced: PricedCheckout, built: BuiltInvoice, coupon: CouponTerms | null, tax: { rateBp: number; inclusive: boolean }) {
	await tx.invoiceLine.deleteMany({ where: { invoiceId } })
	await tx.invoiceLine.createMany({ data: built.lines.map((l) => ({ invoiceId, position: l.position, kind: l.kind, labelKey: l.labelKey, values: l.values, quantity: l.quantity, unitAmount: l.unitAmount, amount: l.amount, included: l.included })) })
	await tx.invoice.update({
		where: { id: invoiceId },
		data: {
			kind: priced.kind,
			planId: priced.plan.id,
			customerId: priced.customerId,
			trafficBytes: priced.trafficBytes,
			subtotal: built.subtotal,
			discount: built.discount,
			credit: built.credit,
			walletCredit: built.walletCredit,
			taxRateBp: tax.rateBp,
			taxInclusive: tax.inclusive,
			taxAmount: built.taxAmount,
			total: built.total,
			couponId: coupon?.id ?? null,
		},
	})
}

/** Prices `req` now and (re)writes the draft, reserving `couponCode` for it when given. */
async function priceInto(tx: Tx, invoiceId: bigint, req: CheckoutRequest, couponCode: string | null, now: Date) {
	const priced = await priceCheckout(tx, req, now)
	const settings = await getStoreBilling(tx)
	const tax = { rateBp: settings.taxRateBp, inclusive: settings.taxInclusive }
	await releaseCoupon(tx, invoiceId)
	let coupon: CouponTerms | null = null
	if (couponCode) {
		const subtotal = priced.goods.reduce((s, g) => s + g.unitAmount * BigInt(g.quantity), 0n)
		coupon = await reserveCoupon(tx, couponCode, { userId: req.userId, planId: priced.plan.id, categoryId: priced.plan.categoryId, subtotal, now, invoiceId })
	}
	const built = buildInvoice({ goods: priced.goods, coupon, prorationCredit: priced.prorationCredit, prorationValues: priced.prorationValues, taxRateBp: tax.rateBp, taxInclusive: tax.inclusive })
	if (coupon) await recordRedemption(tx, coupon.id, req.userId, invoiceId, built.discount)
	await writeDraft(tx, invoiceId, priced, built, coupon, tax)
	return built
}

const requestOf = (userId: number, d: Pick<DraftRow, 'kind' | 'plan_id' | 'customer_id' | 'traffic_bytes'>): CheckoutRequest => ({
	userId,
	planId: d.plan_id!,
	mode: d.kind === 'new' ? 'new' : d.kind === 'renew' ? 'renew' : d.kind === 'add_traffic' ? 'add_traffic' : 'change',
	customerId: d.customer_id ?? undefined,
	gb: d.kind === 'add_traffic' ? Number(d.traffic_bytes / 1024n ** 3n) : undefined,
})

/**
 * A draft invoice for `req`. `formKey` is the checkout form's random key: a double submit returns
 * the first draft instead of making a second one.
 */
export async function createDraft(req: CheckoutRequest & { formKey: string; couponCode?: string | null }, now = new Date()): Promise<bigint> {
	const key = `checkout:${req.userId}:${req.formKey}`
	const existing = await prisma.invoice.findUnique({ where: { idempotencyKey: key }, select: { id: true, userId: true } })
	if (existing) return existing.id
	try {
		return await invoiceTransaction(async (tx) => {
			const inv = await tx.invoice.create({ data: { userId: req.userId, kind: req.mode === 'change' ? 'upgrade' : req.mode, idempotencyKey: key } })
			await priceInto(tx, inv.id, req, req.couponCode?.trim() || null, now)
			return inv.id
		})
	} catch (e) {
		if (isUniqueViolation(e)) {
			const twin = await prisma.invoice.findUnique({ where: { idempotencyKey: key }, select: { id: true } })
			if (twin) return twin.id
		}
		throw e
	}
}

/** Applies (or with null removes) a coupon on the user's draft; the old reservation is released. */
export async function applyCoupon(userId: number, invoiceId: bigint, code: string | null, now = new Date()) {
	return invoiceTransaction(async (tx) => {
		const d = await lockOwnInvoice(tx, userId, invoiceId)
		if (d.status !== 'draft') throw new InvoiceError('invalid_state')
		return priceInto(tx, invoiceId, requestOf(userId, d), code?.trim() || null, now)
	})
}

/**
 * draft → open: re-priced now (keeping its coupon), numbered and frozen in one transaction; a
 * 0 total is paid at once (activation enqueued). Issuing an already issued invoice is a no-op.
 */
export async function issueInvoice(userId: number, invoiceId: bigint, now = new Date()) {
	return invoiceTransaction(async (tx) => {
		const d = await lockOwnInvoice(tx, userId, invoiceId)
		if (d.status === 'open' || d.status === 'paid') return { status: d.status }
		if (d.status !== 'draft') throw new InvoiceError('invalid_state')
		const code = d.coupon_id == null ? null : (await tx.coupon.findUnique({ where: { id: d.coupon_id }, select: { code: true } }))?.code ?? null
		const built = await priceInto(tx, invoiceId, requestOf(userId, d), code, now)
		const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { username: true, displayName: true, billingName: true, billingAddress: true, locale: true } })
		const n = await takeNumber(tx, 'GH', now)
		await tx.invoice.update({
			where: { id: invoiceId },
			data: {
				status: 'open',
				series: n.series,
				jalaliYear: n.year,
				seq: n.seq,
				number: n.number,
				issuedAt: now,
				dueAt: new Date(now.getTime() + INVOICE_DUE_HOURS * 3_600_000),
				billTo: { name: user.billingName ?? user.displayName ?? user.username, address: user.billingAddress ?? '', username: user.username },
			},
		})
		if (built.total === 0n) {
			await onInvoicePaid(tx, invoiceId, null, now)
			return { status: 'paid' as const }
		}
		return { status: 'open' as const }
	})
}
