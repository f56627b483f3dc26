// Activation of a paid store invoice (issue 12, rules 5–6): inside the transaction that marks the
// invoice paid, the store-owned customer (reseller_id null) gets its new desired state, an order
// records it (key `invoice:<id>`: a second activation of one invoice fails on that unique key),
// and the existing reconcile_customer job does the panel work on the plan's nodes. No panel call
// here. Each sub-account's charged_amount is its share of what the invoice charged, so a node
// that finally fails credits exactly that share back to the user's wallet (failed-node.server.ts).
import { planForCheckout, recordTrialUse } from '~/models/end-user-services.server'
import { evaluateInTx } from '~/services/enforcement.server'
import { remoteUsernameOf } from '~/services/panels/remote-username'
import { newSubToken } from '~/services/subscription.server'
import type { Tx } from '~/utils/db.server'
import { InvoiceError } from './errors'
import { moveToNodes, scheduleDowngrade, splitShares } from './plan-change.server'

export { splitShares }

const DAY_MS = 24 * 60 * 60_000

export interface PaidInvoice {
	id: bigint
	userId: number
	kind: string
	planId: number | null
	customerId: number | null
	trafficBytes: bigint
	total: bigint
}

/** The remote-friendly base name of a store service: the user's login, letters and digits only. */
function serviceUsername(login: string, customerId: number) {
	const base = login.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 20) || 'user'
	return `${base}s${customerId}`
}

export async function activateInvoice(tx: Tx, inv: PaidInvoice, now = new Date()): Promise<{ customerId: number; orderId: number }> {
	if (inv.planId == null) throw new InvoiceError('invalid_state')
	const plan = await planForCheckout(inv.planId, tx)
	// A plan withdrawn after the invoice was issued is still delivered on the nodes it had then.
	const nodeIds = plan?.nodeIds ?? (await tx.planNode.findMany({ where: { planId: inv.planId }, select: { nodeId: true } })).map((n) => n.nodeId)
	const p = plan ?? (await tx.plan.findUniqueOrThrow({ where: { id: inv.planId } }))
	const days = p.days
	const planBytes = p.dataLimitBytes
	let customerId: number
	let addedNodes: number[] = []
	if (inv.kind === 'new') {
		const [{ id }] = (await tx.$queryRaw<Array<{ id: bigint }>>`select nextval(pg_get_serial_sequence('customers', 'id')) as id`) as [{ id: bigint }]
		customerId = Number(id)
		const user = await tx.user.findUniqueOrThrow({ where: { id: inv.userId }, select: { username: true } })
		const username = serviceUsername(user.username, customerId)
		await tx.$executeRaw`
			insert into customers (id, reseller_id, user_id, plan_id, username, data_limit_bytes, expire_at, sub_token, updated_at)
			values (${customerId}, null, ${inv.userId}, ${inv.planId}, ${username}, ${planBytes}, ${new Date(now.getTime() + days * DAY_MS)}, ${newSubToken()}, now())`
		addedNodes = nodeIds
		if ('trial' in p && p.trial && !(await recordTrialUse(tx, inv.userId, inv.planId, customerId))) throw new InvoiceError('trial_used')
		await insertSubs(tx, customerId, username, addedNodes, splitShares(inv.total, addedNodes))
	} else {
		const [c] = await tx.$queryRaw<Array<{ id: number; username: string; expire_at: Date; data_limit_bytes: bigint; used_bytes: bigint; status: string; disabled_reason: string | null }>>`
			select id, username, expire_at, data_limit_bytes, used_bytes, status::text, disabled_reason from customers
			where id = ${inv.customerId} and user_id = ${inv.userId} and reseller_id is null and status not in ('deleted', 'refunded') for update`
		if (!c) throw new InvoiceError('not_found')
		customerId = c.id
		const expireAt = new Date(c.expire_at)
		const from = expireAt > now ? expireAt : now
		// Lifting only the automatic cause the purchase removes; a manual disable stays (rule 9).
		const lift = (causes: string[]) => (c.disabled_reason && causes.includes(c.disabled_reason) ? { status: 'active' as const, disabledReason: null } : {})
		const revive = (s: string) => (c.status === s ? { status: 'active' as const } : {})
		const resets = 'resetOnRenew' in p && p.resetOnRenew
		switch (inv.kind) {
			case 'renew':
				await tx.customer.update({
					where: { id: c.id },
					data: { expireAt: new Date(from.getTime() + days * DAY_MS), dataLimitBytes: resets ? c.used_bytes + planBytes : c.data_limit_bytes + planBytes, planId: inv.planId, ...lift(['expiry', 'quota']), ...revive('expired'), ...revive('limited') },
				})
				break
			case 'downgrade':
				// A cheaper plan takes effect at renewal: its days follow the current expiry now (so the
				// service does not lapse in between), while the plan, nodes and limit stay until then —
				// the switch is scheduled for `from` (plan-change.server.ts; at once if already expired).
				await tx.customer.update({ where: { id: c.id }, data: { expireAt: new Date(from.getTime() + days * DAY_MS), ...lift(['expiry']), ...revive('expired') } })
				await scheduleDowngrade(tx, c.id, inv.id, from, now)
				break
			case 'add_traffic':
				await tx.customer.update({ where: { id: c.id }, data: { dataLimitBytes: c.data_limit_bytes + inv.trafficBytes, ...lift(['quota']), ...revive('limited') } })
				break
			case 'upgrade': {
				// A new period on the new plan from now; what was left of the old one became the proration line.
				await tx.customer.update({
					where: { id: c.id },
					data: { expireAt: new Date(now.getTime() + days * DAY_MS), dataLimitBytes: c.used_bytes + planBytes, planId: inv.planId, purchasedAt: now, ...lift(['expiry', 'quota']), ...revive('expired'), ...revive('limited') },
				})
				addedNodes = (await moveToNodes(tx, c, nodeIds, splitShares(inv.total, nodeIds))).added
				await tx.$executeRaw`update invoices set consumed_by_id = ${inv.id} where customer_id = ${c.id} and id <> ${inv.id} and type = 'invoice' and status = 'paid' and consumed_by_id is null`
				break
			}
			default:
				throw new InvoiceError('invalid_state')
		}
	}
	const orderKind = inv.kind === 'new' ? 'create' : inv.kind === 'add_traffic' ? 'add_traffic' : inv.kind === 'upgrade' ? 'change_plan' : 'extend'
	const [order] = await tx.$queryRaw<Array<{ id: number }>>`
		insert into orders (reseller_id, customer_id, kind, status, amount, currency, traffic_bytes, days, traffic_amount, time_amount, quote, idempotency_key, actor_id, updated_at)
		values (null, ${customerId}, ${orderKind}, 'queued', ${inv.total}, 'IRR', ${inv.kind === 'add_traffic' ? inv.trafficBytes : inv.kind === 'new' || inv.kind === 'upgrade' ? planBytes : 0n}, ${inv.kind === 'add_traffic' ? 0 : days},
			${inv.total}, 0, ${JSON.stringify({ invoiceId: String(inv.id) })}::jsonb, ${`invoice:${inv.id}`}, ${inv.userId}, now())
		returning id`
	const orderId = order!.id
	await tx.$executeRaw`update sub_accounts set order_id = ${orderId}, updated_at = now() where customer_id = ${customerId} and state = 'pending' and order_id is null`
	await tx.$executeRaw`update invoices set customer_id = ${customerId}, order_id = ${orderId} where id = ${inv.id}`
	await tx.customerEvent.create({ data: { customerId, kind: inv.kind === 'new' ? 'created' : inv.kind, actorId: inv.userId, data: { orderId, invoiceId: String(inv.id), amount: String(inv.total) } } })
	if (inv.kind !== 'new') await evaluateInTx(tx, [customerId])
	await tx.$executeRaw`select graphile_worker.add_job('reconcile_customer', json_build_object('customerId', ${customerId}::int, 'orderId', ${orderId}::int), max_attempts := 10, job_key := ${`customer:${customerId}`}::text, job_key_mode := 'replace')`
	return { customerId, orderId }
}

async function insertSubs(tx: Tx, customerId: number, username: string, nodeIds: number[], shares: Map<number, bigint>) {
	for (const nodeId of nodeIds) {
		const share = shares.get(nodeId) ?? 0n
		await tx.subAccount.create({ data: { customerId, nodeId, remoteUsername: remoteUsernameOf(customerId, username), chargedAmount: share, trafficCharged: share } })
	}
}
