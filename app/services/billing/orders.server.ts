// Executing a quote (rules 3, 5, 6): in ONE transaction — lock the quote and the customer, price
// the operation again against the present and refuse as stale if anything the quote relied on
// moved, write the order and the customer's new desired state, enqueue the job that talks to the
// panels, and LAST post the money through the ledger: that one statement takes the reseller's row
// lock (held only until the commit) and re-checks his config version and rules 1/2/10 under it.
// No panel call happens here. Contention is retried (transaction.server.ts), never a 500.
import { enqueue } from '~/services/jobs.server'
import { evaluateInTx } from '~/services/enforcement.server'
import { getSettings } from '~/services/settings.server'
import { newSubToken } from '~/services/subscription.server'
import { remoteUsernameOf } from '~/services/panels/remote-username'
import { audit } from '~/utils/audit.server'
import { prisma, type Tx } from '~/utils/db.server'
import { BillingError } from './errors'
import { isUniqueViolation, lockForExecute, post, type ExecuteGuard } from './ledger.server'
import { activeCustomers, canonicalInputs, priceOperation, sameInputs, stableJson, storedItems, type Priced, type QuoteInput } from './quotes.server'
import { assertMayAct } from './reseller-context.server'
import { readReseller } from '~/models/reseller-row.server'
import { insertCustomer, lockQuote, nextCustomerId, orderKey, ownerAndOrder, recordOrder } from './execute-sql.server'
import { moneyTransaction, sqlMoneyTransaction } from './transaction.server'
import { orm, type SqlClient, type SqlDb } from '~/utils/sql.server'

const DAY_MS = 24 * 60 * 60_000

export interface ExecuteInput {
	resellerUserId: number
	quoteId: string
	/** The form's hidden key: a double submit of the same form returns the first order. */
	idempotencyKey: string
	/** What the form asked for now; must equal the quote's inputs. */
	inputs: QuoteInput
}

export { remoteUsernameOf }

export async function reconcileJob(tx: SqlDb, customerId: number, orderId?: number) {
	// One coalescing job per customer: a newer change replaces a pending one.
	await enqueue(tx, 'reconcile_customer', { customerId, ...(orderId ? { orderId } : {}) }, { jobKey: `customer:${customerId}`, maxAttempts: 10 })
}


type StoredMeta = { nodeShares: Record<string, string>; trafficShares?: Record<string, string>; trafficAmount: string; dataLimitBytes?: string; days?: number; added?: number[]; removed?: number[]; charge?: string }

export async function executeQuote(input: ExecuteInput): Promise<{ orderId: number; customerId: number }> {
	const head = await ownerAndOrder(input.resellerUserId, input.quoteId, input.idempotencyKey)
	if (!head) throw new BillingError('not_found')
	const ownerId = head.id
	const key = orderKey(ownerId, input.quoteId, input.idempotencyKey)
	const done = (o: { id: number; customerId: number | null }) => ({ orderId: o.id, customerId: o.customerId! })
	if (head.order_id) return done({ id: head.order_id, customerId: head.customer_id })
	// A create — the purchase a burst is made of — is raw SQL from end to end and runs on a plain pg
	// connection; the other kinds need the ORM (utils/sql.server.ts says why).
	const inTransaction = <T,>(fn: (tx: Tx | SqlClient) => Promise<T>) => (input.inputs.kind === 'create' ? sqlMoneyTransaction(fn) : moneyTransaction(fn))
	try {
		return await inTransaction(async (tx) => {
			const q = await lockQuote(tx, input.quoteId, ownerId, key)
			if (!q) throw new BillingError('not_found')
			if (q.twin) return done(q.twin) // a twin of this submit committed while we waited for the lock
			const now = new Date()
			if (q.usedAt) throw new BillingError('quote_used')
			if (q.expiresAt <= now) throw new BillingError('quote_expired')
			if (!sameInputs(canonicalInputs(input.inputs), q.inputs)) throw new BillingError('quote_mismatch')
			const inputs = q.inputs as QuoteInput

			// The customer's row lock (taken before the reseller's, as the usage batches do) holds his
			// state still until the commit; his version says whether it moved since the quote.
			if (inputs.kind !== 'create') {
				const [c] = await tx.$queryRaw<Array<{ version: number; status: string }>>`select version, status::text from customers where id = ${inputs.customerId} and reseller_id = ${ownerId} for update`
				if (!c || c.status === 'deleted') throw new BillingError('not_found')
				if (c.status === 'refunded' || c.version !== q.customerVersion) throw new BillingError('quote_stale')
			}
			const r = (await readReseller(tx, { id: ownerId }))!
			if (q.resellerVersion == null || r.configVersion !== q.resellerVersion) throw new BillingError('quote_stale')
			const fresh = await priceAgain(tx, r, inputs, q, now)
			const meta = q.items as StoredMeta

			const customerId = await applyToCustomer(tx, r.id, inputs, meta, r.pricingMode)
			const orderId = await recordOrder(tx, {
				resellerId: r.id,
				customerId,
				kind: inputs.kind,
				amount: fresh.total,
				currency: q.currency,
				trafficBytes: inputs.kind === 'create' ? BigInt(meta.dataLimitBytes!) : inputs.kind === 'add_traffic' ? BigInt(inputs.gb) * 1024n ** 3n : 0n,
				days: inputs.kind === 'create' ? meta.days! : inputs.kind === 'extend' ? inputs.days : 0,
				trafficAmount: fresh.trafficAmount,
				timeAmount: fresh.charge - fresh.trafficAmount,
				quote: { quoteId: q.id, items: storedItems(fresh), total: String(fresh.total), trafficAmount: String(fresh.trafficAmount) },
				idempotencyKey: key,
				actorId: input.resellerUserId,
				quoteId: q.id,
				now,
				eventKind: inputs.kind === 'create' ? 'created' : inputs.kind,
			})
			// An extend or top-up lifts one cause; another may remain (extended but still over quota).
			if (inputs.kind !== 'create') await evaluateInTx(orm(tx), [customerId])

			// Last: the money, under the reseller's lock, re-checking what the quote relied on.
			const guard: ExecuteGuard = { configVersion: q.resellerVersion, action: inputs.kind === 'create' ? 'create' : 'change', now }
			await postMoney(tx, r.id, orderId, key, input.resellerUserId, fresh, guard)
			if (inputs.kind === 'create' && r.maxCustomers != null && (await activeCustomers(tx, r.id)) > r.maxCustomers) {
				// Counted under the reseller's lock, so two creates racing for the last slot cannot both win.
				throw new BillingError('limit_customers', { max: r.maxCustomers })
			}
			return { orderId, customerId }
		})
	} catch (e) {
		// A concurrent twin of this very submit committed first: answer with its order.
		if (isUniqueViolation(e)) {
			const twin = await ownerAndOrder(input.resellerUserId, input.quoteId, input.idempotencyKey)
			if (twin?.order_id) return done({ id: twin.order_id, customerId: twin.customer_id })
			if (input.inputs.kind === 'create') throw new BillingError('username_taken')
		}
		throw e
	}
}

/**
 * The quote priced again, now. Charges must be exactly the quote's (else stale); credits — a
 * refund, a dropped node — are the present's, from the ledger.
 */
async function priceAgain(tx: Tx | SqlClient, r: Parameters<typeof priceOperation>[1], inputs: QuoteInput, q: { total: bigint; items: unknown }, now: Date): Promise<Priced> {
	let fresh: Priced
	try {
		fresh = await priceOperation(tx, r, inputs, now, { atExecute: true })
	} catch (e) {
		// A rule that now refuses (a node no longer allocated, a limit) is the state having moved.
		if (e instanceof BillingError && ['node_not_allocated', 'limit_gb', 'limit_days', 'nothing_to_change'].includes(e.code)) throw new BillingError('quote_stale')
		throw e
	}
	const stored = q.items as StoredMeta & { items: unknown[] }
	if (inputs.kind === 'refund') return fresh
	if (inputs.kind === 'change_nodes') {
		const same = stableJson(fresh.extra.added) === stableJson(stored.added) && stableJson(fresh.extra.removed) === stableJson(stored.removed) && String(fresh.charge) === (stored.charge ?? '')
		if (!same) throw new BillingError('quote_stale')
		return fresh
	}
	if (fresh.total !== q.total || stableJson(storedItems(fresh)) !== stableJson(q.items)) throw new BillingError('quote_stale')
	return fresh
}

/** Charge and credit entries of one order; with neither, the guard alone (still under the lock). */
async function postMoney(tx: Tx | SqlClient, resellerId: number, orderId: number, key: string, actorId: number, p: Priced, guard: ExecuteGuard) {
	const base = { resellerId, account: 'money' as const, refType: 'order' as const, refId: orderId, actorId }
	if (p.charge > 0n) await post(tx, { ...base, amount: -p.charge, kind: 'charge', idempotencyKey: `${key}:charge` }, guard)
	else await lockForExecute(tx, resellerId, guard)
	if (p.credit > 0n) await post(tx, { ...base, amount: p.credit, kind: p.charge > 0n || p.extra.added ? 'node_credit' : 'refund', idempotencyKey: `${key}:credit` })
}

function shares(meta: { nodeShares: Record<string, string>; trafficShares?: Record<string, string> }, nodeId: number) {
	return { chargedAmount: BigInt(meta.nodeShares[nodeId] ?? '0'), trafficCharged: BigInt(meta.trafficShares?.[nodeId] ?? meta.nodeShares[nodeId] ?? '0') }
}

async function applyToCustomer(txOrSql: Tx | SqlClient, resellerId: number, inputs: QuoteInput, meta: StoredMeta, pricingMode: 'per_node' | 'bundle') {
	const now = new Date()
	if (inputs.kind === 'create') {
		const id = await nextCustomerId(txOrSql)
		await insertCustomer(txOrSql, {
			id,
			resellerId,
			username: inputs.username,
			note: inputs.note || null,
			dataLimitBytes: BigInt(meta.dataLimitBytes!),
			expireAt: new Date(now.getTime() + meta.days! * DAY_MS),
			subToken: newSubToken(),
			subs: inputs.nodeIds.map((nodeId) => ({ nodeId, remoteUsername: remoteUsernameOf(id, inputs.username), ...shares(meta, nodeId) })),
		})
		return id
	}
	const tx = orm(txOrSql)
	const c = await tx.customer.findFirst({ where: { id: inputs.customerId, resellerId, status: { notIn: ['deleted', 'refunded'] } } })
	if (!c) throw new BillingError('not_found')
	// Extend / add traffic undo an automatic disable whose cause they remove; never a manual one (rule 9).
	const reenable = (cause: string[]) => (c.disabledReason && cause.includes(c.disabledReason) ? { status: 'active' as const, disabledReason: null } : {})
	switch (inputs.kind) {
		case 'extend': {
			const from = c.expireAt > now ? c.expireAt : now
			await tx.customer.update({ where: { id: c.id }, data: { expireAt: new Date(from.getTime() + inputs.days * DAY_MS), ...reenable(['expiry']), ...(c.status === 'expired' ? { status: 'active' } : {}) } })
			break
		}
		case 'add_traffic': {
			await tx.customer.update({ where: { id: c.id }, data: { dataLimitBytes: c.dataLimitBytes + BigInt(inputs.gb) * 1024n ** 3n, ...reenable(['quota']), ...(c.status === 'limited' ? { status: 'active' } : {}) } })
			for (const nodeId of Object.keys(meta.nodeShares)) {
				const s = shares(meta, Number(nodeId))
				await tx.subAccount.updateMany({ where: { customerId: c.id, nodeId: Number(nodeId) }, data: { chargedAmount: { increment: s.chargedAmount }, trafficCharged: { increment: s.trafficCharged } } })
			}
			break
		}
		case 'change_nodes': {
			for (const nodeId of meta.added ?? []) {
				await tx.subAccount.upsert({
					where: { customerId_nodeId: { customerId: c.id, nodeId } },
					create: { customerId: c.id, nodeId, remoteUsername: remoteUsernameOf(c.id, c.username), ...shares(meta, nodeId) },
					// Bundle: a re-added node keeps the share it had (the bundle was paid once for all nodes).
					update: { state: 'pending', orderId: null, attempts: 0, lastError: null, ...(pricingMode === 'bundle' ? {} : shares(meta, nodeId)) },
				})
			}
			if (meta.removed?.length) await tx.subAccount.updateMany({ where: { customerId: c.id, nodeId: { in: meta.removed } }, data: { state: 'removing' } })
			break
		}
		case 'refund': {
			await tx.customer.update({ where: { id: c.id }, data: { status: 'refunded', disabledReason: 'refund' } })
			// The remote accounts are disabled (the job sees a non-active customer) or, by setting, deleted.
			if ((await getSettings()).refundRemoteAction === 'delete') {
				await tx.subAccount.updateMany({ where: { customerId: c.id, state: { in: ['pending', 'active'] } }, data: { state: 'removing' } })
			}
			break
		}
	}
	return c.id
}

/**
 * Manual disable / enable / delete (rule 9): no price, but rule 1 still applies. Only the
 * customer's row is locked — a burst of these never queues on the reseller.
 */
export async function manualAction(resellerUserId: number, customerId: number, action: 'disable' | 'enable' | 'delete') {
	const owner = await prisma.reseller.findUnique({ where: { userId: resellerUserId }, select: { id: true } })
	if (!owner) throw new BillingError('not_found')
	return moneyTransaction(async (tx) => {
		const [locked] = await tx.$queryRaw<Array<{ id: number }>>`select id from customers where id = ${customerId} and reseller_id = ${owner.id} and status not in ('deleted', 'refunded') for update`
		if (!locked) throw new BillingError('not_found')
		assertMayAct(await tx.reseller.findUniqueOrThrow({ where: { id: owner.id } }), 'change')
		const c = await tx.customer.findUniqueOrThrow({ where: { id: locked.id } })
		if (action === 'disable') {
			if (c.disabledReason === 'manual') throw new BillingError('invalid_state')
			await tx.customer.update({ where: { id: c.id }, data: { status: 'disabled', disabledReason: 'manual' } })
		} else if (action === 'enable') {
			if (c.disabledReason !== 'manual') throw new BillingError('invalid_state')
			await tx.customer.update({ where: { id: c.id }, data: { status: c.expireAt <= new Date() ? 'expired' : 'active', disabledReason: null } })
		} else {
			await tx.customer.update({ where: { id: c.id }, data: { status: 'deleted' } })
			await tx.subAccount.updateMany({ where: { customerId: c.id, state: { in: ['pending', 'active'] } }, data: { state: 'removing' } })
		}
		const kind = action === 'delete' ? 'deleted' : `manual_${action}d`
		await tx.customerEvent.create({ data: { customerId: c.id, kind, reason: 'manual', actorId: resellerUserId } })
		await audit({ actorId: resellerUserId, action: `customer.${action}`, entityType: 'customer', entityId: c.id, before: { status: c.status } }, tx)
		// Lifting a manual disable must not enable a customer who is expired or over quota.
		if (action === 'enable') await evaluateInTx(tx, [c.id])
		await reconcileJob(tx, c.id)
	})
}
