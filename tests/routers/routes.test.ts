// The MikroTik screens through their real loaders and actions: the wizard end to end (connect →
// interfaces → peers, outbound unchecked, re-run), the dashboard and peer pages, settings, the
// manual disable behind its confirmation, and bad input answered with translated 4xx.
import { beforeAll, describe, expect, test } from 'vitest'
import * as dashboard from '~/routes/admin+/routers'
import * as routerPage from '~/routes/admin+/routers.$id'
import * as importPage from '~/routes/admin+/routers.$id.import'
import * as peerPage from '~/routes/admin+/routers.$id.peers.$peerId'
import * as settingsPage from '~/routes/admin+/routers.$id.settings'
import * as newRouter from '~/routes/admin+/routers.new'
import { pollRouter } from '~/services/routers/poll.server'
import { prisma } from '~/utils/db.server'
import type { AccountingPeer } from '../../sim/routeros-accounting'
import type { RouterOsSim } from '../../sim/routeros'
import { loginAs } from '../factories'
import { BASE, formRequest, getRequest, settle } from '../helpers'
import { SIM_USER, withAccountingSim } from './fixtures'

let sim: RouterOsSim
let peers: AccountingPeer[]
let admin: { cookie: string }
withAccountingSim((started) => ({ sim, peers } = started))
beforeAll(async () => {
	admin = await loginAs('admin')
})

const ctx = { context: {} }
function postPairs(path: string, pairs: Array<[string, string]>) {
	return new Request(`${BASE}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: admin.cookie }, body: new URLSearchParams(pairs) })
}
function statusOf(r: unknown) {
	if (r instanceof Response) return r.status
	return (r as { init?: { status?: number } }).init?.status ?? 200
}

async function connect(fields: Record<string, string>) {
	return settle(() => newRouter.action({ request: formRequest('/admin/routers/new', fields, { cookie: admin.cookie }), params: {}, ...ctx }))
}

describe('wizard', () => {
	test.each([
		['REST', () => ({ transport: 'rest', baseUrl: sim.restUrl })],
		['binary API', () => ({ transport: 'api', host: '127.0.0.1', port: String(sim.apiPort) })],
	])('%s: test → interfaces → peers (outbound unchecked) → import; credentials sealed', async (_n, access) => {
		const res = await connect({ name: 'hq', ...access(), ...SIM_USER })
		expect(res).toBeInstanceOf(Response)
		const location = (res as Response).headers.get('Location')!
		expect(location).toMatch(/^\/admin\/routers\/\d+\/import$/)
		const id = location.split('/')[3]
		const stored = await prisma.router.findUniqueOrThrow({ where: { id: Number(id) } })
		expect(stored.secrets).toMatch(/^v1\./)
		expect(stored.secrets).not.toContain(SIM_USER.password)
		expect(stored).toMatchObject({ identity: 'hq-router', version: sim.state.version })

		const step2 = await importPage.loader({ request: getRequest(`/admin/routers/${id}/import`, admin.cookie), params: { id }, ...ctx })
		expect(step2.facts).toMatchObject({ ok: true, identity: 'hq-router' })
		expect(step2.listing!.interfaces.map((i) => i.name)).toEqual(['wg0', 'wg-home', 'wg-office'])
		expect(step2.listing!.peers).toEqual([]) // nothing chosen yet
		const step3 = await importPage.loader({ request: getRequest(`/admin/routers/${id}/import?iface=wg-home&iface=wg-office`, admin.cookie), params: { id }, ...ctx })
		expect(step3.listing!.peers).toHaveLength(7)
		expect(step3.listing!.peers.filter((p) => p.outbound).map((p) => p.name)).toEqual(['branch-tabriz'])
		expect(JSON.stringify(step3)).not.toContain(SIM_USER.password)

		// What the browser sends for the default selection: every peer but the outbound one.
		const chosen = step3.listing!.peers.filter((p) => !p.outbound).map((p) => ['peers', `${p.interface}\t${p.publicKey}`] as [string, string])
		const done = await settle(() => importPage.action({ request: postPairs(`/admin/routers/${id}/import`, [['interfaces', 'wg-home'], ['interfaces', 'wg-office'], ...chosen]), params: { id }, ...ctx }))
		expect(statusOf(done)).toBe(302)
		expect(await prisma.routerPeer.count({ where: { routerId: Number(id) } })).toBe(6)
		expect((await prisma.router.findUniqueOrThrow({ where: { id: Number(id) } })).interfaces).toEqual(['wg-home', 'wg-office'])
		// Re-run: the same interfaces from the stored choice, imported ones marked.
		const again = await importPage.loader({ request: getRequest(`/admin/routers/${id}/import`, admin.cookie), params: { id }, ...ctx })
		expect(again.listing!.peers.filter((p) => p.importedId !== null)).toHaveLength(6)
	})

	test.each([
		['wrong password', () => ({ transport: 'rest', baseUrl: sim.restUrl, username: 'admin', password: 'nope' }), 422, 'nodes.errors.auth_failed'],
		['nothing listening', () => ({ transport: 'api', host: '127.0.0.1', port: '1', ...SIM_USER }), 422, 'nodes.errors.unreachable'],
		['REST without an address', () => ({ transport: 'rest', ...SIM_USER }), 400, 'errors.required'],
		['port out of range', () => ({ transport: 'api', host: '127.0.0.1', port: '70000', ...SIM_USER }), 400, 'routers.errors.range'],
		['unknown transport', () => ({ transport: 'ssh', baseUrl: sim.restUrl, ...SIM_USER }), 400, 'errors.required'],
	])('%s → %i, nothing stored', async (_n, fields, status, key) => {
		const before = await prisma.router.count()
		const res = await connect({ name: 'bad', ...fields() })
		expect(statusOf(res)).toBe(status)
		expect(JSON.stringify((res as { data?: unknown }).data)).toContain(key)
		expect(await prisma.router.count()).toBe(before)
	})

	test('the import refuses an empty interface choice with a translated 400', async () => {
		const res = await connect({ name: 'x', transport: 'rest', baseUrl: sim.restUrl, ...SIM_USER })
		const id = (res as Response).headers.get('Location')!.split('/')[3]
		const r = await settle(() => importPage.action({ request: postPairs(`/admin/routers/${id}/import`, [['peers', 'x']]), params: { id }, ...ctx }))
		expect(statusOf(r)).toBe(400)
		expect(JSON.stringify((r as { data: unknown }).data)).toContain('routers.errors.pickInterface')
	})
})

describe('screens', () => {
	let id: string
	let peerId: string
	beforeAll(async () => {
		const res = await connect({ name: 'screens', transport: 'rest', baseUrl: sim.restUrl, ...SIM_USER })
		id = (res as Response).headers.get('Location')!.split('/')[3]
		const step3 = await importPage.loader({ request: getRequest(`/admin/routers/${id}/import?iface=wg-home`, admin.cookie), params: { id }, ...ctx })
		const chosen = step3.listing!.peers.map((p) => ['peers', `${p.interface}\t${p.publicKey}`] as [string, string])
		await importPage.action({ request: postPairs(`/admin/routers/${id}/import`, [['interfaces', 'wg-home'], ...chosen]), params: { id }, ...ctx })
		await pollRouter(Number(id))
		sim.state.addTraffic({ [peers[0].publicKey]: 3 * 1024 ** 2 })
		await pollRouter(Number(id))
		peerId = String((await prisma.routerPeer.findFirstOrThrow({ where: { routerId: Number(id), publicKey: peers[0].publicKey } })).id)
	})

	test('dashboard and router page show usage, the daily bars, 24 h and the top peer', async () => {
		const list = await dashboard.loader({ request: getRequest('/admin/routers', admin.cookie), params: {}, ...ctx })
		const card = list.routers.find((r) => String(r.id) === id)!
		expect(card.cycleBytes).toBe(String(3 * 1024 ** 2))
		expect(card.daily.at(-1)?.bytes).toBe(String(3 * 1024 ** 2))
		const page = await routerPage.loader({ request: getRequest(`/admin/routers/${id}`, admin.cookie), params: { id }, ...ctx })
		expect(page.peers.top[0].name).toBe('ali-phone')
		expect(page.hours).toHaveLength(24)
		expect(page.hours.at(-1)?.bytes).toBe(String(3 * 1024 ** 2))
		expect(page.peers.peers).toHaveLength(4)
	})

	test('settings: a quota and auto-disable, validated (Persian digits accepted, bad zone refused)', async () => {
		const base = { name: 'screens', pollIntervalSec: '۶۰', onlineThresholdSec: '180', resetDay: '1', timezone: 'Asia/Tehran', calendar: 'jalali', defaultQuotaGb: '0.5', enforcement: 'auto_disable', linkRateMbps: '1000', sampleRetentionDays: '14' }
		const bad = await settle(() => settingsPage.action({ request: formRequest(`/admin/routers/${id}/settings`, { ...base, timezone: 'Mars/Base' }, { cookie: admin.cookie }), params: { id }, ...ctx }))
		expect(statusOf(bad)).toBe(400)
		expect(JSON.stringify((bad as { data: unknown }).data)).toContain('routers.errors.timezone')
		const low = await settle(() => settingsPage.action({ request: formRequest(`/admin/routers/${id}/settings`, { ...base, pollIntervalSec: '5' }, { cookie: admin.cookie }), params: { id }, ...ctx }))
		expect(statusOf(low)).toBe(400)
		const ok = await settle(() => settingsPage.action({ request: formRequest(`/admin/routers/${id}/settings`, base, { cookie: admin.cookie }), params: { id }, ...ctx }))
		expect(statusOf(ok)).toBe(302)
		const r = await prisma.router.findUniqueOrThrow({ where: { id: Number(id) } })
		expect(r).toMatchObject({ pollIntervalSec: 60, enforcement: 'auto_disable', defaultQuotaBytes: 512n * 1024n ** 2n })
		const job = await prisma.$queryRawUnsafe<Array<{ n: number }>>(`select count(*)::int as n from graphile_worker.jobs where key = $1`, `router-poll:${id}`)
		expect(job[0].n).toBe(1)
	})

	test('peer page: history and a confirmed manual disable, read back from the router', async () => {
		const page = await peerPage.loader({ request: getRequest(`/admin/routers/${id}/peers/${peerId}`, admin.cookie), params: { id, peerId }, ...ctx })
		expect(page.peer.name).toBe('ali-phone')
		expect(page.daily.at(-1)?.bytes).toBe(String(3 * 1024 ** 2))
		expect(page.cycles).toHaveLength(1)
		const res = await settle(() => peerPage.action({ request: formRequest(`/admin/routers/${id}/peers/${peerId}`, { intent: 'disable' }, { cookie: admin.cookie }), params: { id, peerId }, ...ctx }))
		expect(statusOf(res)).toBe(302)
		expect(sim.state.printPeers({ 'public-key': peers[0].publicKey })[0].disabled).toBe('true')
		const action = await prisma.routerAction.findFirstOrThrow({ where: { peerId: Number(peerId) } })
		expect(action).toMatchObject({ reason: 'admin', result: 'ok', readBack: 'true' })
		await peerPage.action({ request: formRequest(`/admin/routers/${id}/peers/${peerId}`, { intent: 'enable' }, { cookie: admin.cookie }), params: { id, peerId }, ...ctx })
		expect(sim.state.printPeers({ 'public-key': peers[0].publicKey })[0].disabled).toBe('false')
	})

	test('peer settings: override quota, link only a real reseller customer', async () => {
		const bad = await settle(() => peerPage.action({ request: formRequest(`/admin/routers/${id}/peers/${peerId}`, { intent: 'settings', quotaGb: 'lots', enforcement: '', customerId: '' }, { cookie: admin.cookie }), params: { id, peerId }, ...ctx }))
		expect(statusOf(bad)).toBe(400)
		const foreign = await settle(() => peerPage.action({ request: formRequest(`/admin/routers/${id}/peers/${peerId}`, { intent: 'settings', quotaGb: '2', enforcement: 'monitor', customerId: '999999' }, { cookie: admin.cookie }), params: { id, peerId }, ...ctx }))
		expect(statusOf(foreign)).toBe(400)
		expect(JSON.stringify((foreign as { data: unknown }).data)).toContain('routers.errors.customer')
		const ok = await settle(() => peerPage.action({ request: formRequest(`/admin/routers/${id}/peers/${peerId}`, { intent: 'settings', quotaGb: '۲', enforcement: 'monitor', customerId: '' }, { cookie: admin.cookie }), params: { id, peerId }, ...ctx }))
		expect(statusOf(ok)).toBe(302)
		expect(await prisma.routerPeer.findUniqueOrThrow({ where: { id: Number(peerId) } })).toMatchObject({ quotaBytes: 2n * 1024n ** 3n, enforcement: 'monitor' })
	})

	test('unknown or foreign ids are a translated 404', async () => {
		const other = await prisma.routerPeer.create({ data: { routerId: (await prisma.router.create({ data: { name: 'o', transport: 'rest', secrets: 'x', baseUrl: 'http://127.0.0.1:9' } })).id, interface: 'wg0', publicKey: 'k' } })
		for (const [fn, params] of [
			[() => routerPage.loader({ request: getRequest('/admin/routers/999999', admin.cookie), params: { id: '999999' }, ...ctx }), null],
			[() => routerPage.loader({ request: getRequest('/admin/routers/abc', admin.cookie), params: { id: 'abc' }, ...ctx }), null],
			[() => peerPage.loader({ request: getRequest(`/admin/routers/${id}/peers/${other.id}`, admin.cookie), params: { id, peerId: String(other.id) }, ...ctx }), null],
		] as const) {
			void params
			const r = await settle(fn as () => Promise<unknown>)
			expect(statusOf(r)).toBe(404)
		}
	})
})
