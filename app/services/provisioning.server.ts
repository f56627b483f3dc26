// Bringing the panels to the customer's desired state (rules 5, 6, 8, 11). Runs in a job, never in
// a request. Every panel call happens outside DB transactions; each result is written afterwards.
//   pending  → create (a conflict or timeout is resolved by reading the panel back)
//   active   → read, write only what differs (limit, expiry, enabled), read back and compare
//   removing → delete (not found = already gone)
// Status policy per panel (rule 8): a customer who is not active is disabled on every panel
// (Marzban/PasarGuard/Marzneshin: status disabled, never revoked; WGDashboard: restricted;
// RouterOS: peer disabled). With wgExpiryAction 'delete' an expired customer's WGDashboard peer is
// deleted instead and re-created once the expiry is gone (its keys derive from our ids, so the
// client's config file stays valid).
// A node that finally fails is refunded its share by a reversing ledger entry, capped at what the
// customer still has unrefunded (a refund or a node drop may have returned money meanwhile).
// Races with the reseller (issue 8 §2.5): every state change is a compare-and-set on the state
// read, and the customer is read again after a create: a customer deleted or refunded while his
// create was in flight never keeps the fresh account. A pending share on a node soft-deleted
// before the job ran is failed and reversed, so the order settles.
// Adoption (§2.6): an account with our username found after a conflict or a lost answer is ours
// only when it carries our marker (ownerTag `guardino:<customerId>`); anything else is a stranger's
// account: never written to, shown to the admin, and the order fails and is refunded after the
// normal attempts. An adopted account's usage counter at adoption is its baseline.
import type { Customer, SubAccount } from '~/generated/prisma/client'
import { nodeConnection } from '~/models/node.server'
import { post } from '~/services/billing/ledger.server'
import { creditFailedStoreNode } from '~/services/invoices/failed-node.server'
import { PanelError, type PanelErrorCode } from '~/services/panels/errors'
import { createAdapter } from '~/services/panels/index.server'
import type { AccountRef, NodeKind, PanelAdapter, RemoteAccount } from '~/services/panels/types'
import { open, seal } from '~/utils/crypto.server'
import { prisma, type Tx } from '~/utils/db.server'
import { notify } from './notifications.server'
import { admit, markDown, NodeDown, Throttled, throttled } from './remote-rate.server'
import { getSettings, type AutomationSettings } from './settings.server'

export const MAX_CREATE_ATTEMPTS = 5
/** A push that keeps failing this many runs in a row (not because the node is down) is drift. */
export const DRIFT_AFTER_ATTEMPTS = 3
const PERMANENT = new Set(['rejected', 'auth_failed', 'bad_response'])
/** The node did not answer: an outage (node_unreachable), not a disagreement about state. */
const OUTAGE = new Set<PanelErrorCode>(['unreachable', 'timeout', 'server_error'])
/** remoteStatus of a sub-account removed by the expiry policy; it is re-created on extend. */
export const DELETED_ON_EXPIRY = 'deleted_on_expiry'

export class RetryLater extends Error {
	constructor(message: string, readonly code?: PanelErrorCode) {
		super(message)
	}
}

type Sub = SubAccount & { node: { kind: NodeKind; name: string; deletedAt: Date | null; rateLimitPerSec: number | null } }
type Target = 'enabled' | 'disabled' | 'deleted'
interface Desired {
	target: Target
	/** 0 = unlimited, as at create. */
	dataLimit: bigint
	expireAt: Date
}
type Owner = { fundingModel: 'wallet' | 'pool'; allowConfigOverrun: boolean } | null
type Loaded = Customer & { reseller: Owner }

const refOf = (sub: SubAccount): AccountRef => (sub.ref ? JSON.parse(open(sub.ref)) : { username: sub.remoteUsername })
const clip = (e: Error) => e.message.slice(0, 500)
const TERMINAL = new Set(['deleted', 'refunded'])
/** Not enabled and the time is up: the expiry policy applies, whatever else disabled him. */
const expiredOff = (c: Customer, now = new Date()) => c.status !== 'active' && c.expireAt <= now

function desiredFor(c: Loaded, kind: NodeKind, s: AutomationSettings): Desired {
	// Pool + allowConfigOverrun (seed 003): the pool is the limit; a panel-side limit would cut the
	// customer off at his own limit while the hub lets him run on.
	const overrun = c.reseller?.fundingModel === 'pool' && c.reseller.allowConfigOverrun
	const dataLimit = overrun ? 0n : c.dataLimitBytes
	let target: Target = c.status === 'active' ? 'enabled' : 'disabled'
	if (kind === 'wgdashboard' && s.wgExpiryAction === 'delete' && expiredOff(c)) target = 'deleted'
	return { target, dataLimit, expireAt: c.expireAt }
}

/** `returning`: this run was rescheduled by the rate limit and has waited its turn in the node's queue. */
export async function reconcileCustomer(customerId: number, orderId?: number, returning = false): Promise<{ deferredMs: number }> {
	const s = await getSettings()
	// Orders first: any order seen here committed its customer change before the read below.
	const openOrders = await prisma.order.findMany({ where: { customerId, status: { in: ['queued', 'provisioning'] } }, select: { id: true } })
	const customer: Loaded = await prisma.customer.findUniqueOrThrow({ where: { id: customerId }, include: { reseller: { select: { fundingModel: true, allowConfigOverrun: true } } } })
	if (!TERMINAL.has(customer.status) && !expiredOff(customer)) {
		await prisma.subAccount.updateMany({ where: { customerId, state: 'removed', remoteStatus: DELETED_ON_EXPIRY }, data: { state: 'pending', attempts: 0, lastError: null } })
	}
	const subs = (await prisma.subAccount.findMany({
		where: { customerId, state: { in: ['pending', 'active', 'removing'] } },
		include: { node: { select: { kind: true, name: true, deletedAt: true, rateLimitPerSec: true } } },
	})) as Sub[]
	let retry = false
	let deferredMs = 0
	// One node's trouble never stops the others: every failure below is per sub-account.
	for (const sub of subs) {
		if (sub.node.deletedAt) {
			// Rule 7: nothing changes on that panel. A share that was never delivered goes back,
			// else the order would wait in 'provisioning' forever.
			if (sub.state === 'pending') await failSub(sub, 'node_deleted', 'node deleted before the account was created', sub.attempts)
			continue
		}
		if (sub.state === 'pending' && TERMINAL.has(customer.status)) {
			// Deleted or refunded before his account was made: he gets none (the refund settled his
			// money; a delete returns nothing). Nothing exists on the panel yet.
			await prisma.subAccount.updateMany({ where: { id: sub.id, state: 'pending' }, data: { state: 'removed', lastError: null } })
			continue
		}
		const perSec = sub.node.rateLimitPerSec ?? s.remoteOpsPerSec
		let adapter: PanelAdapter | undefined
		try {
			await admit(sub.nodeId, perSec, returning)
			adapter = throttled(createAdapter(await nodeConnection(sub.nodeId)), sub.nodeId, perSec, returning)
			const want = desiredFor(customer, sub.node.kind, s)
			if (sub.state === 'removing') await remove(adapter, sub, null)
			else {
				const created = sub.state === 'pending' ? await provision(adapter, customer, sub, want) : null
				if (sub.state === 'active' || created) {
					const live = created ? created.sub : sub
					if (want.target === 'deleted') await remove(adapter, live, DELETED_ON_EXPIRY)
					else await pushState(adapter, customer, live, want, created?.account)
				}
			}
		} catch (e) {
			if (e instanceof Throttled) deferredMs = Math.max(deferredMs, e.retryInMs)
			else if (e instanceof NodeDown) retry = true
			else if (e instanceof RetryLater) {
				retry = true
				if (e.code === 'unreachable' || e.code === 'timeout') markDown(sub.nodeId)
			} else throw e
		} finally {
			await adapter?.close?.().catch(() => {})
		}
	}
	for (const id of new Set([...openOrders.map((o) => o.id), ...(orderId ? [orderId] : [])])) await settleOrder(id)
	if (deferredMs) {
		// Come back at the slot the limiter handed out; returning (not throwing) spends no attempt.
		await rescheduleReconcile(customerId, deferredMs)
		return { deferredMs }
	}
	if (retry) throw new RetryLater(`customer ${customerId}: some nodes will be retried`)
	return { deferredMs: 0 }
}

/**
 * Same task, key and attempts as billing's reconcileJob, but later and without moving a due job.
 * `returning` lets it take the slot it queued for (a change that replaces this payload meanwhile
 * only costs that customer a place at the end of the queue, never the limit).
 */
async function rescheduleReconcile(customerId: number, inMs: number) {
	await prisma.$executeRaw`select graphile_worker.add_job(
		'reconcile_customer', ${JSON.stringify({ customerId, returning: true })}::json,
		run_at := now() + ${Math.ceil(inMs)}::int * interval '1 millisecond', max_attempts := 10,
		job_key := ${`customer:${customerId}`}::text, job_key_mode := 'preserve_run_at')`
}

/** The marker every account we create carries (AccountSpec.note → RemoteAccount.ownerTag). */
export const ownerMarker = (customerId: number) => `guardino:${customerId}`

async function provision(adapter: PanelAdapter, c: Customer, sub: Sub, want: Desired): Promise<{ sub: Sub; account: RemoteAccount } | null> {
	const spec = { username: sub.remoteUsername, dataLimit: want.dataLimit, expireAt: c.expireAt, note: ownerMarker(c.id) }
	let account: RemoteAccount | null = null
	try {
		account = await adapter.createAccount(spec)
	} catch (e) {
		if (!(e instanceof PanelError)) throw e
		if (e.code === 'conflict' || e.code === 'timeout' || e.code === 'unreachable' || e.code === 'server_error') {
			// Uncertain: the panel may have done the work. Read it back before anything else.
			account = await adapter.getAccount({ username: sub.remoteUsername }).catch(() => null)
			// Same name, not our marker: someone else's account. Never adopt it or write to it.
			if (account && account.ownerTag !== ownerMarker(c.id)) return foreignAccount(sub, c, account)
			// RouterOS: the client's private key lived only in the lost reply; start that peer over.
			if (account && sub.node.kind === 'routeros' && !account.ref.data?.privateKey) {
				await adapter.deleteAccount(account.ref).catch(() => {})
				account = await adapter.createAccount(spec).catch(() => null)
			}
		}
		if (!account) return failOrRetry(sub, e)
	}
	// The reseller may have deleted or refunded him while the panel worked: read him again.
	const now = await prisma.customer.findUnique({ where: { id: c.id }, select: { status: true } })
	if (!now || TERMINAL.has(now.status)) {
		await discard(adapter, sub, account)
		return null
	}
	const links = await adapter.getLinks(account.ref).catch(() => null)
	const ref = seal(JSON.stringify(account.ref))
	// Compare-and-set: a delete or node change that moved the row on since we read it wins.
	// attempts now counts consecutive failed pushes of this (active) account. The counter as read
	// now is the usage baseline (an adopted account may carry traffic from before it was ours).
	const { count } = await prisma.subAccount.updateMany({
		where: { id: sub.id, state: 'pending' },
		data: {
			state: 'active', ref, links: links ? seal(JSON.stringify(links)) : null, remoteStatus: account.status, lastError: null, driftError: null, attempts: 0,
			lastCounter: account.usedBytes > 0n ? account.usedBytes : 0n, counterEpoch: { increment: 1 }, lastCounterAt: new Date(),
		},
	})
	if (!count) {
		await discard(adapter, sub, account)
		return null
	}
	return { sub: { ...sub, state: 'active', ref, attempts: 0 }, account }
}

/**
 * The account just made (or found) is not wanted any more: its row was moved on (removing, removed,
 * failed) or the customer is gone. The ref is saved and the row marked removing first, so a delete
 * that fails now is retried by the next run instead of leaving an orphan on the panel. A row that
 * is active (a concurrent run adopted this very account) is left as it is.
 */
async function discard(adapter: PanelAdapter, sub: Sub, account: RemoteAccount) {
	const ref = seal(JSON.stringify(account.ref))
	const { count } = await prisma.subAccount.updateMany({ where: { id: sub.id, state: { in: ['pending', 'removing', 'removed'] } }, data: { state: 'removing', ref } })
	if (count) return remove(adapter, { ...sub, state: 'removing', ref }, null)
	const row = await prisma.subAccount.findUnique({ where: { id: sub.id }, select: { state: true } })
	// failed: its share went back, so it must not keep an account either.
	if (row?.state === 'failed') await adapter.deleteAccount(account.ref).catch(() => {})
}

/**
 * A stranger's account holds our username (issue 8 §2.6): a conflict shown to the admin (lastError,
 * driftError 'foreign_account', one notification per sub-account), retried like any create failure
 * (the admin may rename it meanwhile) and finally failed and refunded.
 */
async function foreignAccount(sub: Sub, c: Customer, found: RemoteAccount): Promise<never> {
	const e = new PanelError('conflict', `foreign_account: ${sub.remoteUsername} exists on the panel without our marker (${found.ownerTag ?? 'none'})`)
	await prisma.subAccount.updateMany({ where: { id: sub.id, state: 'pending' }, data: { driftError: 'foreign_account' } })
	await notify({ audience: 'admin', kind: 'foreign_account', dedupeKey: `foreign:${sub.id}`, data: { customerId: c.id, username: c.username, nodeId: sub.nodeId, nodeName: sub.node.name, remoteUsername: sub.remoteUsername } })
	return failOrRetry(sub, e)
}

async function failOrRetry(sub: Sub, e: PanelError): Promise<never> {
	const attempts = sub.attempts + 1
	// A re-create after the expiry policy deleted the account was paid long ago: never refunded,
	// retried until it works, shown as drift meanwhile.
	if (sub.remoteStatus === DELETED_ON_EXPIRY) await failedPush(sub, e)
	if (!PERMANENT.has(e.code) && attempts < MAX_CREATE_ATTEMPTS) {
		await prisma.subAccount.update({ where: { id: sub.id }, data: { attempts, lastError: clip(e) } })
		throw new RetryLater(e.message, e.code)
	}
	await failSub(sub, e.code, e.message, attempts)
	throw new RetryLater(e.message, e.code)
}

/**
 * Final: the sub-account is failed and this node's share goes back to the reseller, in one
 * transaction. The reversal never makes the customer's credits exceed his charges: it is capped at
 * what is still unrefunded on his orders, read under the reseller's row lock (taken first, as
 * every money path does), so a refund committing at the same moment is either counted or waits.
 */
async function failSub(sub: Sub, code: string, message: string, attempts: number) {
	await prisma.$transaction(async (tx) => {
		const customer = await tx.customer.findUniqueOrThrow({ where: { id: sub.customerId }, select: { resellerId: true } })
		if (customer.resellerId) await tx.$queryRaw`select id from resellers where id = ${customer.resellerId} for update`
		const { count } = await tx.subAccount.updateMany({ where: { id: sub.id, state: 'pending' }, data: { state: 'failed', attempts, lastError: message.slice(0, 500) } })
		if (!count) return
		let refunded = 0n
		if (customer.resellerId && sub.chargedAmount > 0n) {
			const open = await unrefunded(tx, sub.customerId)
			refunded = sub.chargedAmount < open ? sub.chargedAmount : open
			if (refunded > 0n) {
				await post(tx, { resellerId: customer.resellerId, account: 'money', amount: refunded, kind: 'reversal', refType: 'order', refId: sub.orderId ?? undefined, note: `node ${sub.nodeId} failed: ${code}`, idempotencyKey: `sub:${sub.id}:reversal:order:${sub.orderId ?? 0}` })
			}
		}
		// A store service (no reseller): the node's share of its invoice goes back to the user's wallet.
		if (!customer.resellerId) refunded = await creditFailedStoreNode(tx, sub, code)
		await tx.customerEvent.create({ data: { customerId: sub.customerId, kind: 'node_failed', reason: code, data: { nodeId: sub.nodeId, refunded: String(refunded) } } })
	})
}

/** Charges − reversals − refunds − node-drop credits of this customer's orders, from the ledger. */
async function unrefunded(tx: Tx, customerId: number): Promise<bigint> {
	const [row] = await tx.$queryRaw<Array<{ open: bigint }>>`
		select coalesce(-sum(e.amount), 0)::bigint as open
		from orders o join ledger_entries e on e.ref_type = 'order' and e.ref_id = o.id::text and e.account = 'money'
		where o.customer_id = ${customerId}::int`
	const open = row?.open ?? 0n
	return open > 0n ? open : 0n
}

const sec = (d: Date | null) => (d ? Math.floor(d.getTime() / 1000) : null)
const limitOf = (v: bigint | null) => (v && v > 0n ? v : null)
const sameLimits = (a: RemoteAccount, w: Desired) => limitOf(a.dataLimit) === limitOf(w.dataLimit) && sec(a.expireAt) === sec(w.expireAt)
const isOff = (a: RemoteAccount) => a.status === 'disabled'

/** `current`: what the create just returned, so a fresh account is not read twice. */
async function pushState(adapter: PanelAdapter, c: Customer, sub: Sub, want: Desired, current?: RemoteAccount) {
	const ref = refOf(sub)
	const off = want.target !== 'enabled'
	try {
		// Read first and write only what differs: a bulk disable costs one write per account,
		// which is what the per-node rate limit (rule 11) counts.
		const seen = current ?? (await adapter.getAccount(ref))
		let wrote = false
		if (!sameLimits(seen, want)) {
			await adapter.updateAccount(ref, { dataLimit: want.dataLimit, expireAt: want.expireAt })
			wrote = true
		}
		if (off !== isOff(seen)) {
			await (off ? adapter.disable(ref) : adapter.enable(ref))
			wrote = true
		}
		// Verify (rule 8): panels are known to acknowledge and not apply.
		const back = wrote ? await adapter.getAccount(ref) : seen
		if (isOff(back) !== off) throw new PanelError('rejected', `read back ${back.status}, wanted ${off ? 'disabled' : 'enabled'}`)
		if (!sameLimits(back, want)) throw new PanelError('rejected', `read back limit ${back.dataLimit ?? 0} / expiry ${back.expireAt?.toISOString() ?? '-'}, wanted ${want.dataLimit} / ${want.expireAt.toISOString()}`)
		await prisma.subAccount.update({ where: { id: sub.id }, data: { remoteStatus: back.status, lastError: null, driftError: null, attempts: 0 } })
	} catch (e) {
		if (!(e instanceof PanelError)) throw e
		await failedPush(sub, e, c)
	}
}

/**
 * A failed push is retried by the job. When the panel answers but keeps disagreeing for
 * DRIFT_AFTER_ATTEMPTS runs, the sub-account carries driftError (shown on the customer and the
 * node) and the admin is told once per episode; the next good push clears it.
 */
async function failedPush(sub: Sub, e: PanelError, c?: Customer): Promise<never> {
	const attempts = sub.attempts + 1
	await prisma.subAccount.update({ where: { id: sub.id }, data: { attempts, lastError: clip(e) } })
	if (!OUTAGE.has(e.code) && attempts >= DRIFT_AFTER_ATTEMPTS) {
		const at = new Date()
		const { count } = await prisma.subAccount.updateMany({ where: { id: sub.id, driftError: null }, data: { driftError: clip(e) } })
		if (count) {
			const username = c?.username ?? (await prisma.customer.findUnique({ where: { id: sub.customerId }, select: { username: true } }))?.username ?? ''
			await notify({ audience: 'admin', kind: 'drift', dedupeKey: `drift:${sub.id}:${at.getTime()}`, data: { customerId: sub.customerId, username, nodeId: sub.nodeId, nodeName: sub.node.name, error: clip(e) } })
		}
	}
	throw new RetryLater(e.message, e.code)
}

/** `mark`: why the account is gone while the customer stays (the expiry policy), else a real removal. */
async function remove(adapter: PanelAdapter, sub: Sub, mark: string | null) {
	try {
		await adapter.deleteAccount(refOf(sub))
	} catch (e) {
		if (!(e instanceof PanelError)) throw e
		if (e.code !== 'not_found') {
			await prisma.subAccount.update({ where: { id: sub.id }, data: { lastError: clip(e) } })
			throw new RetryLater(e.message, e.code)
		}
	}
	// Compare-and-set: a node re-added meanwhile (change nodes → pending) is not marked removed.
	await prisma.subAccount.updateMany({ where: { id: sub.id, state: sub.state }, data: { state: 'removed', remoteStatus: mark, lastError: null, driftError: null, attempts: 0 } })
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
