// What a checkout buys and at what price (issue 12): the store variant of pricing — the price is
// the plan's public Rial price and the invoice carries it, never a reseller's price list.
//   new          the plan (in an exclusive category where the user already has a service, this
//                becomes a renewal of it or a change of plan: never a second service there)
//   renew        the service's plan again, from the later of now and its expiry, adding its volume
//   change       to a dearer plan = upgrade now, with a proration credit; to a cheaper one =
//                downgrade, taking effect at renewal (a new period from the current expiry)
//   add_traffic  N GB at the plan's own price per GB (its price ÷ its volume, rounded up)
import { activeServiceInExclusiveCategory, hasUsedTrial, planForCheckout, type CheckoutPlan } from '~/models/end-user-services.server'
import type { Tx } from '~/utils/db.server'
import { prisma } from '~/utils/db.server'
import { GB } from '~/utils/money'
import { InvoiceError } from './errors'
import type { GoodsLine } from './lines'
import { prorationCredit } from './proration'

type Db = Tx | typeof prisma

export type CheckoutMode = 'new' | 'renew' | 'change' | 'add_traffic'

export interface CheckoutRequest {
	userId: number
	planId: number
	mode: CheckoutMode
	customerId?: number
	gb?: number
}

export interface PricedCheckout {
	kind: 'new' | 'renew' | 'add_traffic' | 'upgrade' | 'downgrade'
	plan: CheckoutPlan
	customerId: number | null
	trafficBytes: bigint
	goods: GoodsLine[]
	prorationCredit: bigint
	prorationValues?: Record<string, string | number>
}

const gbOf = (bytes: bigint) => Number(bytes / GB)

export function planLine(plan: CheckoutPlan): GoodsLine {
	return { kind: 'plan', labelKey: 'invoices.line.plan', values: { plan: plan.name, days: plan.days, gb: gbOf(plan.dataLimitBytes) }, quantity: 1, unitAmount: plan.price }
}

/** The user's own live store service (tenant scope in the where: another user's is not found). */
export async function ownedService(db: Db, userId: number, customerId: number) {
	const c = await db.customer.findFirst({ where: { id: customerId, userId, resellerId: null, status: { notIn: ['deleted', 'refunded'] } } })
	if (!c) throw new InvoiceError('not_found')
	return c
}

/**
 * What the user paid, net, for the service's current period: the paid invoices not yet used up
 * by an upgrade, each at its subtotal after coupon (a proration credit carried into it counts as
 * paid — it was, on the invoice it came from), less the net of credit notes against them. Tax is
 * not part of it. The period starts when the first of them was paid.
 */
export async function netPaidForPeriod(db: Db, customerId: number) {
	const [row] = await db.$queryRaw<Array<{ paid: bigint; corrected: bigint; start: Date | null }>>`
		select coalesce(sum(i.subtotal - i.discount), 0)::bigint as paid,
			coalesce((select sum(cn.total - cn.tax_amount) from invoices cn where cn.type = 'credit_note' and cn.status <> 'void' and cn.credit_of_id in
				(select id from invoices where customer_id = ${customerId} and type = 'invoice' and status = 'paid' and consumed_by_id is null)), 0)::bigint as corrected,
			min(i.paid_at) as start
		from invoices i where i.customer_id = ${customerId} and i.type = 'invoice' and i.status = 'paid' and i.consumed_by_id is null`
	const net = row!.paid - row!.corrected
	return { netPaid: net > 0n ? net : 0n, periodStart: row!.start ? new Date(row!.start) : null }
}

export async function priceCheckout(db: Db, req: CheckoutRequest, now: Date): Promise<PricedCheckout> {
	const plan = await planForCheckout(req.planId, db)
	if (!plan || plan.nodeIds.length === 0) throw new InvoiceError('not_for_sale')
	let mode = req.mode
	let customerId = req.customerId ?? null
	if (mode === 'new' && plan.categoryId != null) {
		const existing = await activeServiceInExclusiveCategory(req.userId, plan.categoryId, db)
		if (existing) {
			mode = existing.planId === plan.id ? 'renew' : 'change'
			customerId = existing.id
		}
	}
	if (mode === 'new') {
		if (plan.trial && (await hasUsedTrial(req.userId, plan.id, db))) throw new InvoiceError('trial_used')
		return { kind: 'new', plan, customerId: null, trafficBytes: 0n, goods: [planLine(plan)], prorationCredit: 0n }
	}
	if (customerId == null) throw new InvoiceError('not_found')
	const service = await ownedService(db, req.userId, customerId)
	// A trial is taken once: it is never renewed or topped up.
	if (plan.trial) throw new InvoiceError('trial_used')
	// A paid downgrade waits for the renewal: another renewal or change first would reorder the
	// periods the user paid for. Traffic for the current plan may still be bought.
	if (service.scheduledInvoiceId != null && mode !== 'add_traffic') throw new InvoiceError('change_scheduled')
	if (mode === 'renew') {
		if (service.planId !== plan.id) throw new InvoiceError('not_found')
		return { kind: 'renew', plan, customerId, trafficBytes: 0n, goods: [planLine(plan)], prorationCredit: 0n }
	}
	if (mode === 'add_traffic') {
		if (service.planId !== plan.id || !req.gb || plan.dataLimitBytes <= 0n) throw new InvoiceError('not_for_sale')
		const perGb = (plan.price * GB + plan.dataLimitBytes - 1n) / plan.dataLimitBytes
		const goods: GoodsLine[] = [{ kind: 'traffic', labelKey: 'invoices.line.traffic', values: { gb: req.gb, plan: plan.name }, quantity: req.gb, unitAmount: perGb }]
		return { kind: 'add_traffic', plan, customerId, trafficBytes: BigInt(req.gb) * GB, goods, prorationCredit: 0n }
	}
	// change of plan
	if (service.planId === plan.id) throw new InvoiceError('not_an_upgrade')
	const current = service.planId == null ? null : await db.plan.findUnique({ where: { id: service.planId }, select: { publicPrice: true } })
	if (current && plan.price < current.publicPrice) {
		return { kind: 'downgrade', plan, customerId, trafficBytes: 0n, goods: [planLine(plan)], prorationCredit: 0n }
	}
	const { netPaid, periodStart } = await netPaidForPeriod(db, customerId)
	const p = prorationCredit({ netPaid, periodStart: periodStart ?? service.purchasedAt, expireAt: service.expireAt, now, dataLimitBytes: service.dataLimitBytes, usedBytes: service.usedBytes })
	// The ratio as a percentage with two decimals, for the line's label.
	const percent = Number((p.num * 10_000n) / p.den) / 100
	return { kind: 'upgrade', plan, customerId, trafficBytes: 0n, goods: [planLine(plan)], prorationCredit: p.credit, prorationValues: { percent, paid: String(netPaid) } }
}
