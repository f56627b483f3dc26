// The usage pipeline under test: one node of every kind on the simulators, customers whose
// accounts really exist on the panels, traffic driven through the simulators' control surface.
import { nodeConnection } from '~/models/node.server'
import { remoteUsernameOf } from '~/services/billing/orders.server'
import { createNode } from '~/services/nodes.server'
import { createAdapter } from '~/services/panels/index.server'
import type { AccountRef } from '~/services/panels/types'
import { forgetSettings, type AutomationSettings } from '~/services/settings.server'
import { newSubToken } from '~/services/subscription.server'
import { open, seal } from '~/utils/crypto.server'
import { prisma } from '~/utils/db.server'
import { SIM_CREDENTIALS, type startAllSims } from '../../sim/start-all'
import { createUser } from '../factories'

export type Sims = Awaited<ReturnType<typeof startAllSims>>
export type Kind = 'marzban' | 'pasarguard' | 'marzneshin' | 'wgdashboard' | 'routeros' | 'routerosApi'
export const KINDS: Kind[] = ['marzban', 'pasarguard', 'marzneshin', 'wgdashboard', 'routeros', 'routerosApi']

export async function createSimNode(name: string, form: Record<string, unknown>) {
	const admin = await createUser('admin')
	const base = { tls: false, verifyTls: false, transport: 'rest', usageMultiplier: '1', selected: [] }
	const r = await createNode({ ...base, name, ...form } as unknown as Parameters<typeof createNode>[0], admin.id)
	if (!r.ok) throw new Error(`node ${name}: ${JSON.stringify(r)}`)
	return r.nodeId
}

/** One node per kind (RouterOS twice: REST and the binary API share one simulated router). */
export async function usageNodes(sims: Sims): Promise<Record<Kind, number>> {
	const x = SIM_CREDENTIALS.xray
	const ros = SIM_CREDENTIALS.routeros
	return {
		marzban: await createSimNode('M', { kind: 'marzban', baseUrl: sims.marzban.url, ...x }),
		pasarguard: await createSimNode('P', { kind: 'pasarguard', baseUrl: sims.pasarguard.url, apiKey: SIM_CREDENTIALS.pasarguardApiKey }),
		marzneshin: await createSimNode('Z', { kind: 'marzneshin', baseUrl: sims.marzneshin.url, ...x }),
		wgdashboard: await createSimNode('W', { kind: 'wgdashboard', baseUrl: sims.wgdashboard.url, apiKey: SIM_CREDENTIALS.wgdashboardApiKey, wgEndpoint: 'vpn.example.com:51820' }),
		routeros: await createSimNode('R', { kind: 'routeros', baseUrl: sims.routeros.restUrl, transport: 'rest', wgEndpoint: 'vpn.example.com:13231', ...ros }),
		routerosApi: await createSimNode('RA', { kind: 'routeros', host: '127.0.0.1', port: sims.routeros.apiPort, transport: 'api', wgEndpoint: 'vpn.example.com:13231', ...ros }),
	}
}

export function simOf(sims: Sims, kind: Kind) {
	return kind === 'routerosApi' ? sims.routeros : sims[kind]
}

let seq = 0
/** A customer with a real account on each node (created through the adapter) and active sub-accounts. */
export async function addCustomer(nodeIds: number[], opts: { resellerId?: number | null; status?: 'active' | 'disabled'; dataLimitBytes?: bigint } = {}) {
	const username = `u${++seq}${Math.random().toString(36).slice(2, 6)}`
	const customer = await prisma.customer.create({
		data: { resellerId: opts.resellerId ?? null, username, dataLimitBytes: opts.dataLimitBytes ?? 100n * 1024n ** 3n, expireAt: new Date(Date.now() + 30 * 86_400_000), status: opts.status ?? 'active', subToken: newSubToken() },
	})
	const remoteUsername = remoteUsernameOf(customer.id, username)
	const subs: Record<number, number> = {}
	for (const nodeId of nodeIds) {
		const adapter = createAdapter(await nodeConnection(nodeId))
		try {
			const account = await adapter.createAccount({ username: remoteUsername, dataLimit: customer.dataLimitBytes, expireAt: customer.expireAt })
			const sub = await prisma.subAccount.create({ data: { customerId: customer.id, nodeId, remoteUsername, state: 'active', ref: seal(JSON.stringify(account.ref)), remoteStatus: account.status } })
			subs[nodeId] = sub.id
		} finally {
			await adapter.close?.()
		}
	}
	return { customer, remoteUsername, subs }
}

/** Runs an adapter operation (resetUsage, disable, …) on a customer's account on one node. */
export async function onPanel(subId: number, op: 'resetUsage' | 'disable' | 'enable') {
	const sub = await prisma.subAccount.findUniqueOrThrow({ where: { id: subId } })
	const adapter = createAdapter(await nodeConnection(sub.nodeId))
	try {
		await adapter[op](JSON.parse(open(sub.ref!)) as AccountRef)
	} finally {
		await adapter.close?.()
	}
}

export async function setAutomation(patch: Partial<AutomationSettings>) {
	const row = await prisma.setting.findUnique({ where: { key: 'automation' } })
	const value = { ...((row?.value as object) ?? {}), ...patch }
	await prisma.setting.upsert({ where: { key: 'automation' }, create: { key: 'automation', value }, update: { value } })
	forgetSettings()
}

export const usedOf = async (customerId: number) => (await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).usedBytes
export const subOf = (id: number) => prisma.subAccount.findUniqueOrThrow({ where: { id } })
export const GiB = 1024 ** 3
