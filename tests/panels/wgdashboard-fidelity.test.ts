// WGDashboard v4.3.0.1 behaviours the adapter used to get wrong (issue 10), each against a
// simulator that now does what upstream does (src/dashboard.py, src/modules/PeerJobs.py,
// WireguardConfiguration.py). Jobs are run by calling the sim's runJobs(now): no sleeps.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { isPanelError } from '~/services/panels/errors'
import type { NodeConnection, PanelAdapter } from '~/services/panels/types'
import { createWgDashboardAdapter } from '~/services/panels/wgdashboard.server'
import { startWgDashboardSim, type WgDashboardSim } from '../../sim/wgdashboard'

const GiB = 1024 ** 3
const HOUR = 3_600_000
const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e)
let n = 0
const uname = () => `fid_${Date.now().toString(36)}_${++n}`

function setup(simOpts: Parameters<typeof startWgDashboardSim>[0] = {}, options: NodeConnection['options'] = {}) {
	const ctx = { sim: null as unknown as WgDashboardSim, a: null as unknown as PanelAdapter }
	beforeAll(async () => {
		ctx.sim = await startWgDashboardSim(simOpts)
		ctx.a = createWgDashboardAdapter({ kind: 'wgdashboard', baseUrl: ctx.sim.url, tls: false, verifyTls: true, apiKey: ctx.sim.apiKey, timeoutMs: 2000, options: { wgInterface: 'wg0', ...options } })
	})
	afterAll(async () => {
		await ctx.a.close?.()
		await ctx.sim.close()
	})
	return ctx
}

const api = async (sim: WgDashboardSim, path: string, body?: unknown) => {
	const res = await fetch(`${sim.url}/api/${path}`, {
		method: body === undefined ? 'GET' : 'POST',
		headers: { 'content-type': 'application/json', 'wg-dashboard-apikey': sim.apiKey },
		body: body === undefined ? undefined : JSON.stringify(body),
	})
	return (await res.json()) as { status: boolean; message: string | null; data: any }
}

describe('restricted peers live in a second table', () => {
	const ctx = setup()

	test('sim: addPeers checks only active peers, so a restricted key is added again and is live', async () => {
		const { sim } = ctx
		const [p] = (await api(sim, 'addPeers/wg0', { name: 'twice' })).data
		expect((await api(sim, 'restrictPeers/wg0', { peers: [p.id] })).status).toBe(true)
		const again = await api(sim, 'addPeers/wg0', { name: 'twice', public_key: p.id })
		expect(again.status).toBe(true)
		const info = (await api(sim, 'getWireguardConfigurationInfo?configurationName=wg0')).data
		expect(info.configurationPeers.map((x: { id: string }) => x.id)).toContain(p.id)
		expect(info.configurationRestrictedPeers.map((x: { id: string }) => x.id)).toContain(p.id)
		expect(info.configurationRestrictedPeers.find((x: { id: string }) => x.id === p.id).status).toBe('stopped')
	})

	test('a retried create of a restricted peer is a conflict and the peer stays restricted', async () => {
		const { sim, a } = ctx
		const spec = { username: uname(), dataLimit: null, expireAt: null, note: 'guardino:41' }
		const acc = await a.createAccount(spec)
		await a.disable(acc.ref)
		sim.control.resetStats()
		expect(isPanelError(await errorOf(a.createAccount(spec)), 'conflict')).toBe(true)
		expect(sim.control.stats().byRoute['POST /api/addPeers/:cfg'] ?? 0).toBe(0)
		expect(sim.state.peers.has(acc.ref.remoteId!)).toBe(false)
		expect(sim.state.restricted.has(acc.ref.remoteId!)).toBe(true)
		sim.control.addTraffic(GiB)
		expect(await a.getAccount({ username: spec.username })).toMatchObject({ status: 'disabled', usedBytes: 0n, ownerTag: 'guardino:41' })
	})
})

describe('a fired job vanishes from the peer; the enforced limit is read back, not rewritten', () => {
	const ctx = setup()

	test('sim: the fired job is closed, dropped from the list and remembered only by the job log', async () => {
		const { sim } = ctx
		const [p] = (await api(sim, 'addPeers/wg0', { name: 'logged' })).data
		const job = { JobID: 'fid-job-1', Configuration: 'wg0', Peer: p.id, Field: 'total_data', Operator: 'lgt', Value: '1', CreationDate: '', ExpireDate: '', Action: 'restrict' }
		await api(sim, 'savePeerScheduleJob', { Job: job })
		sim.control.addTraffic({ [p.id]: 2 * GiB })
		sim.state.runJobs()
		const info = (await api(sim, 'getWireguardConfigurationInfo?configurationName=wg0')).data
		const restricted = info.configurationRestrictedPeers.find((x: { id: string }) => x.id === p.id)
		expect(restricted.jobs).toEqual([])
		const logs = (await api(sim, 'getPeerScheduleJobLogs/wg0')).data.filter((l: { JobID: string }) => l.JobID === 'fid-job-1')
		expect(logs.map((l: { Message: string }) => l.Message)).toEqual([
			'Job is created if total_data lgt 1 then restrict',
			`Peer ${p.id} from wg0 is successfully restricted.`,
			'Job is removed due to being deleted or finshed.',
		])
	})

	test('after the limit job fired: read back keeps the limit, an equal update writes nothing', async () => {
		const { sim, a } = ctx
		const acc = await a.createAccount({ username: uname(), dataLimit: BigInt(GiB), expireAt: null, note: 'guardino:42' })
		sim.control.addTraffic({ [acc.ref.remoteId!]: 2 * GiB })
		sim.state.runJobs()
		const got = await a.getAccount(acc.ref)
		expect(got).toMatchObject({ status: 'disabled', dataLimit: BigInt(GiB) })
		const listed = []
		for (let cursor: string | null = null, first = true; first || cursor; first = false) {
			const page = await a.listAccounts(cursor, 100)
			listed.push(...page.accounts)
			cursor = page.nextCursor
		}
		expect(listed.find((x) => x.ref.remoteId === acc.ref.remoteId)).toMatchObject({ status: 'disabled', dataLimit: BigInt(GiB) })
		sim.control.resetStats()
		const same = await a.updateAccount(acc.ref, { dataLimit: BigInt(GiB), expireAt: null })
		expect(same.dataLimit).toBe(BigInt(GiB))
		const writes = Object.entries(sim.control.stats().byRoute).filter(([route]) => route.startsWith('POST'))
		expect(writes).toEqual([])
		expect(sim.state.restricted.has(acc.ref.remoteId!)).toBe(true)
	})

	test('a raised limit is written (the peer allowed only for the write), a cleared one stays cleared', async () => {
		const { sim, a } = ctx
		const acc = await a.createAccount({ username: uname(), dataLimit: BigInt(GiB), expireAt: null })
		sim.control.addTraffic({ [acc.ref.remoteId!]: 2 * GiB })
		sim.state.runJobs()
		expect((await a.updateAccount(acc.ref, { dataLimit: 5n * BigInt(GiB) })).dataLimit).toBe(5n * BigInt(GiB))
		expect(await a.getAccount(acc.ref)).toMatchObject({ status: 'disabled', dataLimit: 5n * BigInt(GiB) })
		await a.updateAccount(acc.ref, { dataLimit: null })
		expect((await a.getAccount(acc.ref)).dataLimit).toBeNull()
		sim.state.runJobs()
		expect(sim.state.restricted.has(acc.ref.remoteId!)).toBe(true)
		await a.enable(acc.ref)
		sim.state.runJobs()
		expect(await a.getAccount(acc.ref)).toMatchObject({ status: 'active', dataLimit: null })
	})

	test('after the expiry job fired the expiry is read back', async () => {
		const { sim, a } = ctx
		const expireAt = new Date(Math.floor((Date.now() + HOUR) / 1000) * 1000)
		const acc = await a.createAccount({ username: uname(), dataLimit: null, expireAt })
		sim.state.runJobs(expireAt.getTime() + 1000)
		const got = await a.getAccount(acc.ref)
		expect(got.status).toBe('disabled')
		expect(got.expireAt?.getTime()).toBe(expireAt.getTime())
	})
})

describe('limits fire on usage > limit, not at equality', () => {
	const ctx = setup()
	test('usage equal to the limit is active on the panel and in our read-back; one byte more is limited', async () => {
		const { sim, a } = ctx
		const acc = await a.createAccount({ username: uname(), dataLimit: BigInt(GiB), expireAt: null })
		sim.control.addTraffic({ [acc.ref.remoteId!]: GiB })
		sim.state.runJobs()
		expect(sim.state.peers.has(acc.ref.remoteId!)).toBe(true)
		expect((await a.getAccount(acc.ref)).status).toBe('active')
		sim.control.addTraffic({ [acc.ref.remoteId!]: 1024 })
		expect((await a.getAccount(acc.ref)).status).toBe('limited')
	})
})

describe('date jobs run on the panel host’s local clock (UTC+03:30)', () => {
	const tehran = setup({ timeZone: 'Asia/Tehran' }, { wgTimezone: 'Asia/Tehran' })

	test('nobody is cut off before expireAt; the expiry reads back exactly', async () => {
		const { sim, a } = tehran
		const expireAt = new Date(Math.floor((Date.now() + 2 * HOUR) / 1000) * 1000)
		const acc = await a.createAccount({ username: uname(), dataLimit: null, expireAt })
		expect((await a.getAccount(acc.ref)).expireAt?.getTime()).toBe(expireAt.getTime())
		for (const before of [3.5 * HOUR, HOUR, 1000]) {
			sim.state.runJobs(expireAt.getTime() - before)
			expect(sim.state.peers.has(acc.ref.remoteId!), `${before} ms before expiry`).toBe(true)
		}
		sim.state.runJobs(expireAt.getTime() + 1000)
		expect(sim.state.restricted.has(acc.ref.remoteId!)).toBe(true)
	})
})

describe('ownership marker in the peer name', () => {
	const ctx = setup()

	test('our peers carry guardino:<id>; a hand-made peer with a hub-like name is not ours', async () => {
		const { sim, a } = ctx
		const hand = (await api(sim, 'addPeers/wg0', { name: 'alice_g7' })).data[0]
		const ours = await a.createAccount({ username: 'bob_g8', dataLimit: null, expireAt: null, note: 'guardino:8' })
		expect(ours.ownerTag).toBe('guardino:8')
		expect(ours.ref.username).toBe('bob_g8')
		expect(isPanelError(await errorOf(a.getAccount({ username: 'alice_g7' })), 'not_found')).toBe(true)
		const page = await a.listAccounts(null, 1000)
		expect(page.accounts.map((x) => x.ref.remoteId)).not.toContain(hand.id)
		expect(page.accounts.find((x) => x.ref.remoteId === ours.ref.remoteId)).toMatchObject({ ownerTag: 'guardino:8', ref: { username: 'bob_g8' } })
		expect(await a.getAccount({ username: 'bob_g8' })).toMatchObject({ ownerTag: 'guardino:8' })
		const links = await a.getLinks(ours.ref)
		expect(links.kind === 'wireguard' && links.fileName).toBe('bob_g8.conf')
	})
})
