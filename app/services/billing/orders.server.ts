// Executing a quote (rules 3, 5, 6): in ONE transaction — lock the reseller, check the quote and
// the rules, post the charge through the ledger, write the order and the customer's new desired
// state, enqueue the job that talks to the panels. No panel call happens here.
import type { Prisma } from '~/generated/prisma/client'
import { enqueue } from '~/services/jobs.server'
import { evaluateInTx } from '~/services/enforcement.server'
import { getSettings } from '~/services/settings.server'
import { newSubToken } from '~/services/subscription.server'
import { audit } from '~/utils/audit.server'
import { prisma, type Tx } from '~/utils/db.server'
import { BillingError } from './errors'
import { isUniqueViolation, post } from './ledger.server'
import { canonicalInputs, sameInputs, type QuoteInput } from './quotes.server'
import { assertMayAct, lockReseller } from './reseller-context.server'

const DAY_MS = 24 * 60 * 60_000

export interface ExecuteInput {
	resellerUserId: number
	quoteId: string
	/** The form's hidden key: a double submit of the same form returns the first order. */
	idempotencyKey: string
	/** What the form asked for now; must equal the quote's inputs. */
	inputs: QuoteInput
}

/** Remote usernames derive from our ids only, so a retried create names the same account. */
export const remoteUsernameOf = (customerId: number, username: string) => `${username.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 20)}_g${customerId}`

export async function reconcileJob(tx: Tx, customerId: number, orderId?: number) {
	// One coalescing job per customer: a newer change replaces a pending one.
	await enqueue(tx, 'reconcile_customer', { customerId, ...(orderId ? { orderId } : {}) }, { jobKey: `customer:${customerId}`, maxAttempts: 10 })
}

async function existingOrder(idempotencyKey: string) {
	return prisma.order.findUnique({ where: { idempotencyKey }, select: { id: true, customerId: true } })
}

export async function executeQuote(input: ExecuteInput): Promise<{ orderId: number; customerId: number }> {
	const key = `order:${input.idempotencyKey}`
	const already = await existingOrder(key)
	if (already) return { orderId: already.id, customerId: already.customerId! }
	try {
		return await prisma.$transaction(async (tx) => {
			const owner = await tx.reseller.findUnique({ where: { userId: input.resellerUserId }, select: { id: true } })
			if (!owner) throw new BillingError('not_found')
			const r = await lockReseller(tx, owner.id)
			// Under the reseller's lock a concurrent twin of this submit has either committed or not.
			const twin = await tx.order.findUnique({ where: { idempotencyKey: key }, select: { id: true, customerId: true } })
			if (twin) return { orderId: twin.id, customerId: twin.customerId! }
			const [quote] = await tx.$queryRaw<Array<{ id: string }>>`select id from quotes where id = ${input.quoteId} and reseller_id = ${r.id} for update`
			if (!quote) throw new BillingError('not_found')
			const q = await tx.quote.findUniqueOrThrow({ where: { id: quote.id } })
			if (q.usedAt) throw new BillingError('quote_used')
			if (q.expiresAt <= new Date()) throw new BillingError('quote_expired')
			if (!sameInputs(canonicalInputs(input.inputs), q.inputs)) throw new BillingError('quote_mismatch')
			const inputs = q.inputs as QuoteInput
			assertMayAct(r, inputs.kind === 'create' ? 'create' : 'change')
			const meta = q.items as { nodeShares: Record<string, string>; trafficShares?: Record<string, string>; trafficAmount: string; dataLimitBytes?: string; days?: number; added?: number[]; removed?: number[] }

			const customerId = await applyToCustomer(tx, r.id, inputs, meta)
			const order = await tx.order.create({
				data: {
					resellerId: r.id,
					customerId,
					kind: inputs.kind,
					status: 'queued',
					amount: q.total,
					currency: q.currency,
					trafficBytes: inputs.kind === 'create' ? BigInt(meta.dataLimitBytes!) : inputs.kind === 'add_traffic' ? BigInt(inputs.gb) * 1024n ** 3n : 0n,
					days: inputs.kind === 'create' ? meta.days! : inputs.kind === 'extend' ? inputs.days : 0,
					quote: { quoteId: q.id, items: meta as unknown as Prisma.InputJsonValue, total: String(q.total), trafficAmount: meta.trafficAmount } as Prisma.InputJsonValue,
					idempotencyKey: key,
					actorId: input.resellerUserId,
				},
			})
			if (q.total !== 0n) {
				await post(tx, {
					resellerId: r.id,
					account: 'money',
					amount: -q.total,
					kind: q.total > 0n ? 'charge' : 'refund',
					refType: 'order',
					refId: order.id,
					actorId: input.resellerUserId,
					idempotencyKey: `${key}:charge`,
				})
			}
			await tx.subAccount.updateMany({ where: { customerId, orderId: null, state: 'pending' }, data: { orderId: order.id } })
			await tx.quote.update({ where: { id: q.id }, data: { usedAt: new Date(), orderId: order.id } })
			await tx.customerEvent.create({ data: { customerId, kind: inputs.kind === 'create' ? 'created' : inputs.kind, actorId: input.resellerUserId, data: { orderId: order.id, amount: String(q.total) } } })
			await audit({ actorId: input.resellerUserId, action: `order.${inputs.kind}`, entityType: 'order', entityId: order.id, after: { customerId, amount: String(q.total) } }, tx)
			// An extend or top-up lifts one cause; another may remain (extended but still over quota).
			if (inputs.kind !== 'create') await evaluateInTx(tx, [customerId])
			await reconcileJob(tx, customerId, order.id)
			return { orderId: order.id, customerId }
		})
	} catch (e) {
		// A concurrent twin of this very submit committed first: answer with its order.
		if (isUniqueViolation(e)) {
			const twin = await existingOrder(key)
			if (twin) return { orderId: twin.id, customerId: twin.customerId! }
			if (input.inputs.kind === 'create') throw new BillingError('username_taken')
		}
		throw e
	}
}

function shares(meta: { nodeShares: Record<string, string>; trafficShares?: Record<string, string> }, nodeId: number) {
	return { chargedAmount: BigInt(meta.nodeShares[nodeId] ?? '0'), trafficCharged: BigInt(meta.trafficShares?.[nodeId] ?? meta.nodeShares[nodeId] ?? '0') }
}

async function applyToCustomer(tx: Tx, resellerId: number, inputs: QuoteInput, meta: { nodeShares: Record<string, string>; trafficShares?: Record<string, string>; dataLimitBytes?: string; days?: number; added?: number[]; removed?: number[] }) {
	const now = new Date()
	if (inputs.kind === 'create') {
		const customer = await tx.customer.create({
			data: {
				resellerId,
				username: inputs.username,
				note: inputs.note || null,
				dataLimitBytes: BigInt(meta.dataLimitBytes!),
				expireAt: new Date(now.getTime() + meta.days! * DAY_MS),
				subToken: newSubToken(),
			},
		})
		await tx.subAccount.createMany({
			data: inputs.nodeIds.map((nodeId) => ({ customerId: customer.id, nodeId, remoteUsername: remoteUsernameOf(customer.id, inputs.username), ...shares(meta, nodeId) })),
		})
		return customer.id
	}
	const c = await tx.customer.findFirst({ where: { id: inputs.customerId, resellerId, status: { not: 'deleted' } } })
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
					update: { state: 'pending', orderId: null, attempts: 0, lastError: null, ...shares(meta, nodeId) },
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

/** Manual disable / enable / delete (rule 9): no price, but rule 1 still applies. */
export async function manualAction(resellerUserId: number, customerId: number, action: 'disable' | 'enable' | 'delete') {
	return prisma.$transaction(async (tx) => {
		const owner = await tx.reseller.findUnique({ where: { userId: resellerUserId }, select: { id: true } })
		if (!owner) throw new BillingError('not_found')
		const r = await lockReseller(tx, owner.id)
		assertMayAct(r, 'change')
		const c = await tx.customer.findFirst({ where: { id: customerId, resellerId: r.id, status: { notIn: ['deleted', 'refunded'] } } })
		if (!c) throw new BillingError('not_found')
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
