// Held counter jumps (rule 12): a delta too large to be plausible is recorded, not counted, until
// an admin decides. Approve counts the held bytes exactly once — usage, daily rollup and the pool
// charge in one transaction guarded by the hold's status; reject just records the decision.
import { post } from '~/services/billing/ledger.server'
import { evaluateCustomers } from '~/services/enforcement.server'
import { audit } from '~/utils/audit.server'
import { prisma } from '~/utils/db.server'
import { applyMultiplier } from './accounting'
import { UsageError } from './errors'

export interface HoldDecision {
	holdId: number
	customerId: number
	status: 'approved' | 'rejected'
	/** Bytes added to the customer's usage (multiplier applied); 0 on reject. */
	counted: bigint
}

/**
 * Counts the held delta once, with the node's current usage multiplier, on the UTC day the jump
 * was detected. Throws UsageError('not_found' | 'hold_decided'); a second approve never counts twice.
 */
export async function approveHold(holdId: number, actorId: number): Promise<HoldDecision> {
	const decision = await prisma.$transaction(async (tx) => {
		const claimed = await tx.usageHold.updateMany({ where: { id: holdId, status: 'pending' }, data: { status: 'approved', decidedBy: actorId, decidedAt: new Date() } })
		const hold = await tx.usageHold.findUnique({ where: { id: holdId }, include: { node: { select: { usageMultiplierPermille: true } } } })
		if (!hold) throw new UsageError('not_found')
		if (!claimed.count) throw new UsageError('hold_decided')
		const counted = applyMultiplier(hold.delta, hold.node.usageMultiplierPermille)
		const customer = await tx.customer.findUniqueOrThrow({ where: { id: hold.customerId }, select: { resellerId: true, reseller: { select: { fundingModel: true } } } })
		if (counted > 0n) {
			// Lock order as in the sync batches: reseller (via the ledger post), then customer, then sub.
			if (customer.resellerId && customer.reseller?.fundingModel === 'pool') {
				await post(tx, {
					resellerId: customer.resellerId,
					account: 'traffic',
					amount: -counted,
					kind: 'pool_usage',
					refType: 'usage',
					refId: `hold:${hold.id}`,
					actorId,
					note: `approved usage hold ${hold.id} on node ${hold.nodeId}`,
					allowOverdraft: true,
					idempotencyKey: `usage:hold:${hold.id}`,
				})
			}
			await tx.customer.update({ where: { id: hold.customerId }, data: { usedBytes: { increment: counted } } })
			await tx.subAccount.update({ where: { id: hold.subAccountId }, data: { usedBytes: { increment: counted } } })
			await tx.$executeRaw`
				insert into usage_daily (customer_id, node_id, day, bytes)
				values (${hold.customerId}, ${hold.nodeId}, (${hold.createdAt}::timestamptz at time zone 'UTC')::date, ${counted})
				on conflict (customer_id, node_id, day) do update set bytes = usage_daily.bytes + excluded.bytes`
			await tx.$executeRaw`
				insert into usage_half_hours (node_id, slot, bytes)
				values (${hold.nodeId}, date_bin('30 minutes', ${hold.createdAt}::timestamptz, timestamptz '2000-01-01 00:00:00+00'), ${counted})
				on conflict (node_id, slot) do update set bytes = usage_half_hours.bytes + excluded.bytes`
		}
		await audit({ actorId, action: 'usage_hold.approve', entityType: 'usage_hold', entityId: hold.id, after: { customerId: hold.customerId, nodeId: hold.nodeId, delta: String(hold.delta), counted: String(counted) } }, tx)
		return { holdId: hold.id, customerId: hold.customerId, status: 'approved' as const, counted }
	})
	if (decision.counted > 0n) await evaluateCustomers([decision.customerId]).catch((e: unknown) => console.error('approveHold: evaluateCustomers failed', e))
	return decision
}

/** The jump is not counted, ever. Throws UsageError('not_found' | 'hold_decided'). */
export async function rejectHold(holdId: number, actorId: number): Promise<HoldDecision> {
	return prisma.$transaction(async (tx) => {
		const claimed = await tx.usageHold.updateMany({ where: { id: holdId, status: 'pending' }, data: { status: 'rejected', decidedBy: actorId, decidedAt: new Date() } })
		const hold = await tx.usageHold.findUnique({ where: { id: holdId } })
		if (!hold) throw new UsageError('not_found')
		if (!claimed.count) throw new UsageError('hold_decided')
		await audit({ actorId, action: 'usage_hold.reject', entityType: 'usage_hold', entityId: hold.id, after: { customerId: hold.customerId, nodeId: hold.nodeId, delta: String(hold.delta) } }, tx)
		return { holdId: hold.id, customerId: hold.customerId, status: 'rejected' as const, counted: 0n }
	})
}
