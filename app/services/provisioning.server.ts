// Bringing the panels to the customer's desired state (rules 5, 6, 8). Runs in a job, never in a
// request. Every panel call happens outside DB transactions; each result is written afterwards.
//   pending  → create (a conflict or timeout is resolved by reading the panel back)
//   active   → push limit + expiry, enable/disable, then read back and compare (verify)
//   removing → delete (not found = already gone)
// A node that finally fails is refunded its share by a reversing ledger entry.
import type { Customer, SubAccount } from '~/generated/prisma/client'
import { nodeConnection } from '~/models/node.server'
import { post } from '~/services/billing/ledger.server'
import { PanelError } from '~/services/panels/errors'
import { createAdapter } from '~/services/panels/index.server'
import type { AccountRef, PanelAdapter, RemoteAccount } from '~/services/panels/types'
import { open, seal } from '~/utils/crypto.server'
import { prisma } from '~/utils/db.server'

export const MAX_CREATE_ATTEMPTS = 5
const PERMANENT = new Set(['rejected', 'auth_failed', 'bad_response'])

export class RetryLater extends Error {}

type Sub = SubAccount & { node: { kind: string; deletedAt: Date | null } }

const refOf = (sub: SubAccount): AccountRef => (sub.ref ? JSON.parse(open(sub.ref)) : { username: sub.remoteUsername })
const wantsEnabled = (c: Customer) => c.status === 'active'

export async function reconcileCustomer(customerId: number, orderId?: number) {
	const customer = await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })
	const subs = (await prisma.subAccount.findMany({ where: { customerId, state: { in: ['pending', 'active', 'removing'] } }, include: { node: { select: { kind: true, deletedAt: true } } } })) as Sub[]
	let retry = false
	for (const sub of subs) {
		if (sub.node.deletedAt) continue // a soft-deleted node is left alone (rule 7)
		const adapter = createAdapter(await nodeConnection(sub.nodeId))
		try {
			if (sub.state === 'pending') await provision(adapter, customer, sub)
			else if (sub.state === 'removing') await remove(adapter, sub)
			else await pushState(adapter, customer, sub)
		} catch (e) {
			if (e instanceof RetryLater) retry = true
			else throw e
		} finally {
			await adapter.close?.().catch(() => {})
		}
	}
	if (orderId) await settleOrder(orderId)
	if (retry) throw new RetryLater(`customer ${customerId}: some nodes will be retried`)
}

async function provision(adapter: PanelAdapter, c: Customer, sub: Sub) {
	const spec = { username: sub.remoteUsername, dataLimit: c.dataLimitBytes, expireAt: c.expireAt, note: `guardino:${c.id}` }
	let account: RemoteAccount | null = null
	try {
		account = await adapter.createAccount(spec)
	} catch (e) {
		if (!(e instanceof PanelError)) throw e
		if (e.code === 'conflict' || e.code === 'timeout' || e.code === 'unreachable' || e.code === 'server_error') {
			// Uncertain: the panel may have done the work. Read it back before anything else.
			account = await adapter.getAccount({ username: sub.remoteUsername }).catch(() => null)
			// RouterOS: the client's private key lived only in the lost reply; start that peer over.
			if (account && sub.node.kind === 'routeros' && !account.ref.data?.privateKey) {
				await adapter.deleteAccount(account.ref).catch(() => {})
				account = await adapter.createAccount(spec).catch(() => null)
			}
		}
		if (!account) return failOrRetry(sub, e)
	}
	const links = await adapter.getLinks(account.ref).catch(() => null)
	await prisma.subAccount.update({
		where: { id: sub.id },
		data: { state: 'active', ref: seal(JSON.stringify(account.ref)), links: links ? seal(JSON.stringify(links)) : null, remoteStatus: account.status, lastError: null, attempts: { increment: 1 } },
	})
	if (!wantsEnabled(c)) await pushState(adapter, c, { ...sub, state: 'active', ref: seal(JSON.stringify(account.ref)) })
}

async function failOrRetry(sub: Sub, e: PanelError): Promise<never | void> {
	const attempts = sub.attempts + 1
	if (!PERMANENT.has(e.code) && attempts < MAX_CREATE_ATTEMPTS) {
		await prisma.subAccount.update({ where: { id: sub.id }, data: { attempts, lastError: e.message.slice(0, 500) } })
		throw new RetryLater(e.message)
	}
	// Final: this node's share goes back to the reseller, in the same transaction as the state.
	await prisma.$transaction(async (tx) => {
		const { count } = await tx.subAccount.updateMany({ where: { id: sub.id, state: 'pending' }, data: { state: 'failed', attempts, lastError: e.message.slice(0, 500) } })
		if (!count) return
		const customer = await tx.customer.findUniqueOrThrow({ where: { id: sub.customerId }, select: { resellerId: true } })
		if (customer.resellerId && sub.chargedAmount > 0n) {
			await post(tx, { resellerId: customer.resellerId, account: 'money', amount: sub.chargedAmount, kind: 'reversal', refType: 'order', refId: sub.orderId ?? undefined, note: `node ${sub.nodeId} failed: ${e.code}`, idempotencyKey: `sub:${sub.id}:reversal:order:${sub.orderId ?? 0}` })
		}
		await tx.customerEvent.create({ data: { customerId: sub.customerId, kind: 'node_failed', reason: e.code, data: { nodeId: sub.nodeId, refunded: String(sub.chargedAmount) } } })
	})
}

async function pushState(adapter: PanelAdapter, c: Customer, sub: SubAccount) {
	const ref = refOf(sub)
	try {
		await adapter.updateAccount(ref, { dataLimit: c.dataLimitBytes, expireAt: c.expireAt })
		if (wantsEnabled(c)) await adapter.enable(ref)
		else await adapter.disable(ref)
		// Verify (rule 8): panels are known to acknowledge and not apply.
		const back = await adapter.getAccount(ref)
		const enabled = back.status !== 'disabled'
		if (enabled !== wantsEnabled(c)) throw new PanelError('rejected', `read back ${back.status}, wanted ${wantsEnabled(c) ? 'enabled' : 'disabled'}`)
		await prisma.subAccount.update({ where: { id: sub.id }, data: { remoteStatus: back.status, lastError: null } })
	} catch (e) {
		if (!(e instanceof PanelError)) throw e
		await prisma.subAccount.update({ where: { id: sub.id }, data: { lastError: e.message.slice(0, 500) } })
		throw new RetryLater(e.message)
	}
}

async function remove(adapter: PanelAdapter, sub: SubAccount) {
	try {
		await adapter.deleteAccount(refOf(sub))
	} catch (e) {
		if (!(e instanceof PanelError)) throw e
		if (e.code !== 'not_found') {
			await prisma.subAccount.update({ where: { id: sub.id }, data: { lastError: e.message.slice(0, 500) } })
			throw new RetryLater(e.message)
		}
	}
	await prisma.subAccount.update({ where: { id: sub.id }, data: { state: 'removed', lastError: null } })
}

/** The order's status follows its sub-accounts: all active → completed, etc. */
export async function settleOrder(orderId: number) {
	const order = await prisma.order.findUnique({ where: { id: orderId }, select: { kind: true } })
	if (!order) return
	const subs = await prisma.subAccount.findMany({ where: { orderId }, select: { state: true, lastError: true } })
	const failed = subs.filter((s) => s.state === 'failed').length
	const pending = subs.filter((s) => s.state === 'pending').length
	const status = pending ? 'provisioning' : failed === 0 ? 'completed' : failed === subs.length ? 'failed_refunded' : 'partly_failed'
	await prisma.order.update({ where: { id: orderId }, data: { status } })
}
