// Enforcement tests: every panel kind on its simulator, customers made through the real quote →
// execute → reconcile path, and readers of each simulator's own state (what the panel really did).
import { randomUUID } from 'node:crypto'
import { executeQuote } from '~/services/billing/orders.server'
import { createQuote, type QuoteInput } from '~/services/billing/quotes.server'
import { createNode } from '~/services/nodes.server'
import { reconcileCustomer, RetryLater } from '~/services/provisioning.server'
import { forgetSettings, getSettings, saveSettings, type AutomationSettings } from '~/services/settings.server'
import { prisma } from '~/utils/db.server'
import { SIM_CREDENTIALS, startAllSims } from '../../sim/start-all'
import { simNodes } from '../billing/fixtures'
import { createUser } from '../factories'

export const GB = 1024n ** 3n
export const HOUR = 3_600_000
export const DAY = 24 * HOUR
export type Sims = Awaited<ReturnType<typeof startAllSims>>

export async function startPanels() {
	const sims = await startAllSims({ fixedPorts: false })
	const admin = await createUser('admin')
	const base = await simNodes(sims, admin.id)
	const ros = await createNode({ name: 'Sim RouterOS', kind: 'routeros', baseUrl: sims.routeros.restUrl, transport: 'rest', tls: false, verifyTls: false, usageMultiplier: '1', selected: [], wgEndpoint: 'ros.example.com:13231', ...SIM_CREDENTIALS.routeros } as unknown as Parameters<typeof createNode>[0], admin.id)
	if (!ros.ok) throw new Error(`routeros node: ${JSON.stringify(ros)}`)
	const pg = await createNode({ name: 'Sim PasarGuard', kind: 'pasarguard', baseUrl: sims.pasarguard.url, apiKey: SIM_CREDENTIALS.pasarguardApiKey, tls: false, verifyTls: false, usageMultiplier: '1', selected: [] } as unknown as Parameters<typeof createNode>[0], admin.id)
	if (!pg.ok) throw new Error(`pasarguard node: ${JSON.stringify(pg)}`)
	return { sims, adminId: admin.id, nodes: { ...base, routeros: ros.nodeId, pasarguard: pg.nodeId } }
}

export async function setSettings(adminId: number, patch: Partial<AutomationSettings>) {
	forgetSettings()
	await saveSettings({ ...(await getSettings()), ...patch }, adminId)
}

export async function resetSettings() {
	await prisma.setting.deleteMany({ where: { key: 'automation' } })
	forgetSettings()
}

/** Quote → execute → the job's work, as a reseller's browser would cause it. */
export async function operate(userId: number, input: QuoteInput) {
	const q = await createQuote(userId, input)
	const r = await executeQuote({ resellerUserId: userId, quoteId: q.id, idempotencyKey: randomUUID(), inputs: input })
	await reconcileCustomer(r.customerId, r.orderId)
	return r
}

export async function buy(userId: number, username: string, nodeIds: number[], gb = 10, days = 30) {
	return (await operate(userId, { kind: 'create', username, nodeIds, gb, days })).customerId
}

/**
 * Runs the panel job for each customer, as the worker would; RetryLater is an expected outcome.
 * The jobs enforcement queues carry `returning` (they were queued at their turn on the node).
 */
export async function reconcile(...customerIds: number[]) {
	for (const id of customerIds) await reconcileCustomer(id, undefined, true).catch((e) => { if (!(e instanceof RetryLater)) throw e })
}

export const remoteName = async (customerId: number, nodeId: number) => (await prisma.subAccount.findFirstOrThrow({ where: { customerId, nodeId } })).remoteUsername

/** What each simulator itself holds for the customer's account on that node. */
export async function panelState(sims: Sims, nodes: Awaited<ReturnType<typeof startPanels>>['nodes'], customerId: number, nodeId: number): Promise<string> {
	const name = await remoteName(customerId, nodeId)
	if (nodeId === nodes.marzban) return sims.marzban.state.users.get(name)?.status ?? 'absent'
	if (nodeId === nodes.pasarguard) return sims.pasarguard.state.users.get(name)?.status ?? 'absent'
	if (nodeId === nodes.marzneshin) {
		const u = sims.marzneshin.state.users.get(name.toLowerCase()) as { enabled: boolean } | undefined
		return !u ? 'absent' : u.enabled ? 'active' : 'disabled'
	}
	if (nodeId === nodes.wgdashboard) {
		const s = sims.wgdashboard.state
		// The peer name is `<username> guardino:<customerId>` (the ownership marker rides along).
		const named = (p: { name: string }) => p.name.split(' ')[0] === name
		if ([...s.peers.values()].some(named)) return 'active'
		return [...s.restricted.values()].some(named) ? 'restricted' : 'absent'
	}
	const peer = [...sims.routeros.state.peers.values()].find((p) => p.props.comment?.split(' ')[0] === `hub:${name}`)
	return !peer ? 'absent' : peer.props.disabled === 'true' ? 'disabled' : 'active'
}

export const customerRow = (id: number) => prisma.customer.findUniqueOrThrow({ where: { id } })
export const eventsOf = async (customerId: number) =>
	(await prisma.customerEvent.findMany({ where: { customerId }, orderBy: { id: 'asc' } })).map((e) => `${e.kind}:${e.reason ?? ''}`)
export const autoEvents = async (customerId: number) => (await eventsOf(customerId)).filter((e) => e.startsWith('auto_'))

/** Pending reconcile jobs (graphile) for these customers. */
export async function queuedFor(customerIds: number[]) {
	const keys = customerIds.map((id) => `customer:${id}`)
	return prisma.$queryRaw<Array<{ key: string; run_at: Date; attempts: number }>>`select key, run_at, attempts from graphile_worker.jobs where key = any(${keys}::text[])`
}
