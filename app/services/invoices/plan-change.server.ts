// A downgrade takes effect at renewal (issue 12, decision 015). Paying the downgrade invoice adds
// the new plan's days after the current expiry and schedules the switch for that expiry; until
// then the service keeps its plan, nodes and traffic limit exactly as they were. At the switch
// (the `apply_plan_changes` task, queued with run_at = the switch time, plus an hourly sweep) the
// new plan takes over: its nodes (the old plan's others are removed), its volume added as a renewal
// adds it, its plan id. Paid after the expiry, the renewal is now: the switch happens in the paying
// transaction. Each switch is a conditional UPDATE under the customer's row lock with an order keyed
// `invoice:<id>:switch`, so it applies once however many workers run it.
import type { Tx } from '~/utils/db.server'
import { prisma } from '~/utils/db.server'
import { evaluateInTx } from '~/services/enforcement.server'
import { remoteUsernameOf } from '~/services/panels/remote-username'

/** Sub-accounts of `customerId` moved to exactly `nodeIds`: others removed, new ones pending, each with its share. */
export async function moveToNodes(tx: Tx, c: { id: number; username: string }, nodeIds: number[], shares: Map<number, bigint>) {
	const subs = await tx.subAccount.findMany({ where: { customerId: c.id, state: { in: ['pending', 'active'] } }, select: { nodeId: true } })
	const have = new Set(subs.map((s) => s.nodeId))
	const added = nodeIds.filter((n) => !have.has(n))
	const dropped = subs.map((s) => s.nodeId).filter((n) => !nodeIds.includes(n))
	if (dropped.length) await tx.subAccount.updateMany({ where: { customerId: c.id, nodeId: { in: dropped } }, data: { state: 'removing' } })
	// Nodes kept carry the new invoice's share too: a node failing later credits its part of it.
	for (const n of nodeIds.filter((x) => have.has(x))) await tx.subAccount.updateMany({ where: { customerId: c.id, nodeId: n }, data: { chargedAmount: shares.get(n) ?? 0n } })
	for (const n of added) {
		await tx.subAccount.upsert({
			where: { customerId_nodeId: { customerId: c.id, nodeId: n } },
			create: { customerId: c.id, nodeId: n, remoteUsername: remoteUsernameOf(c.id, c.username), chargedAmount: shares.get(n) ?? 0n, trafficCharged: shares.get(n) ?? 0n },
			update: { state: 'pending', orderId: null, attempts: 0, lastError: null, chargedAmount: shares.get(n) ?? 0n, trafficCharged: shares.get(n) ?? 0n },
		})
	}
	return { added, dropped }
}

/** Called by activation when a downgrade invoice is paid; `at` = the renewal moment (expiry, or now). */
export async function scheduleDowngrade(tx: Tx, customerId: number, invoiceId: bigint, at: Date, now: Date) {
	await tx.$executeRaw`update customers set scheduled_invoice_id = ${invoiceId}, scheduled_change_at = ${at}, updated_at = now() where id = ${customerId}`
	if (at <= now) return applyPlanChange(tx, customerId, now)
	await tx.$executeRaw`select graphile_worker.add_job('apply_plan_changes', json_build_object('customerId', ${customerId}::int), run_at := ${at}::timestamptz, max_attempts := 10, job_key := ${`plan-change:${customerId}`}::text, job_key_mode := 'replace')`
	return false
}

/**
 * Switches one service to its scheduled plan if the switch is due (by `now`, else the database's
 * clock). Returns whether it switched; false when nothing was due or another run did it first.
 */
export async function applyPlanChange(tx: Tx, customerId: number, now?: Date): Promise<boolean> {
	const [c] = await tx.$queryRaw<Array<{ id: number; username: string; user_id: number; data_limit_bytes: bigint; used_bytes: bigint; disabled_reason: string | null; status: string; invoice_id: bigint }>>`
		select id, username, user_id, data_limit_bytes, used_bytes, disabled_reason, status::text, scheduled_invoice_id as invoice_id from customers
		where id = ${customerId} and reseller_id is null and scheduled_invoice_id is not null and scheduled_change_at <= coalesce(${now ?? null}::timestamptz, now())
		for update`
	if (!c) return false
	const [inv] = await tx.$queryRaw<Array<{ plan_id: number | null; total: bigint }>>`select plan_id, total from invoices where id = ${c.invoice_id} and user_id = ${c.user_id} and status = 'paid'`
	await tx.$executeRaw`update customers set scheduled_invoice_id = null, scheduled_change_at = null, updated_at = now() where id = ${c.id}`
	if (!inv?.plan_id || ['deleted', 'refunded'].includes(c.status)) return false
	// A plan withdrawn since it was bought is still delivered, on its nodes that still exist.
	const plan = await tx.plan.findUniqueOrThrow({ where: { id: inv.plan_id }, select: { id: true, dataLimitBytes: true, resetOnRenew: true, nodes: { select: { nodeId: true }, where: { node: { deletedAt: null } }, orderBy: { nodeId: 'asc' } } } })
	const nodeIds = plan.nodes.map((n) => n.nodeId)
	// The new plan's volume, added as a renewal adds it (reset plans: exactly its volume from now).
	const limit = (plan.resetOnRenew ? c.used_bytes : c.data_limit_bytes) + plan.dataLimitBytes
	const lift = c.disabled_reason === 'quota' ? { status: 'active' as const, disabledReason: null } : c.status === 'limited' ? { status: 'active' as const } : {}
	await tx.customer.update({ where: { id: c.id }, data: { planId: plan.id, dataLimitBytes: limit, ...lift } })
	const shares = splitShares(inv.total, nodeIds)
	await moveToNodes(tx, c, nodeIds, shares)
	const [order] = await tx.$queryRaw<Array<{ id: number }>>`
		insert into orders (reseller_id, customer_id, kind, status, amount, currency, traffic_bytes, days, traffic_amount, time_amount, quote, idempotency_key, actor_id, updated_at)
		values (null, ${c.id}, 'change_plan', 'queued', 0, 'IRR', ${plan.dataLimitBytes}, 0, 0, 0, ${JSON.stringify({ invoiceId: String(c.invoice_id), scheduled: true })}::jsonb, ${`invoice:${c.invoice_id}:switch`}, null, now())
		returning id`
	await tx.$executeRaw`update sub_accounts set order_id = ${order!.id}, updated_at = now() where customer_id = ${c.id} and state = 'pending' and order_id is null`
	await tx.customerEvent.create({ data: { customerId: c.id, kind: 'plan_switched', data: { orderId: order!.id, invoiceId: String(c.invoice_id), planId: plan.id } } })
	await evaluateInTx(tx, [c.id])
	await tx.$executeRaw`select graphile_worker.add_job('reconcile_customer', json_build_object('customerId', ${c.id}::int, 'orderId', ${order!.id}::int), max_attempts := 10, job_key := ${`customer:${c.id}`}::text, job_key_mode := 'replace')`
	return true
}

/** The task's pass: every due switch (each in its own short transaction). */
export async function applyDuePlanChanges(now?: Date, limit = 200): Promise<number> {
	const due = await prisma.$queryRaw<Array<{ id: number }>>`
		select id from customers where scheduled_invoice_id is not null and scheduled_change_at <= coalesce(${now ?? null}::timestamptz, now()) order by scheduled_change_at limit ${limit}`
	let n = 0
	for (const { id } of due) if (await prisma.$transaction((tx) => applyPlanChange(tx, id, now))) n++
	return n
}

/** `amount` split over `nodeIds` (remainder to the first), as the reseller pricing does. */
export function splitShares(amount: bigint, nodeIds: number[]) {
	const share = nodeIds.length ? amount / BigInt(nodeIds.length) : 0n
	return new Map(nodeIds.map((id, i) => [id, share + (i === 0 ? amount - share * BigInt(nodeIds.length) : 0n)]))
}
