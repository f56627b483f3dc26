// Admin node management through the real routes, against the simulators over real sockets.
import { createServer } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as edit from '~/routes/admin+/nodes.$id'
import * as create from '~/routes/admin+/nodes.new'
import * as list from '~/routes/admin+/nodes'
import { prisma } from '~/utils/db.server'
import { SIM_CREDENTIALS, startAllSims } from '../../sim/start-all'
import { loginAs } from '../factories'
import { formRequest, getRequest, settle } from '../helpers'

let sims: Awaited<ReturnType<typeof startAllSims>>
let admin: { cookie: string }
beforeAll(async () => {
	sims = await startAllSims({ fixedPorts: false })
	admin = await loginAs('admin')
})
afterAll(async () => {
	await sims.close()
})

const PASSWORD = 'admin' // the xray simulators' default admin password
const base = { tls: 'off', usageMultiplier: '1' }

async function post(fields: Record<string, string>) {
	const res = await settle(() => create.action({ request: formRequest('/admin/nodes/new', fields, { cookie: admin.cookie }), params: {}, context: {} }))
	if (res instanceof Response) return { status: res.status, location: res.headers.get('Location'), body: '' }
	const r = res as unknown as { init: { status: number }; data: unknown }
	return { status: r.init.status, location: null, body: JSON.stringify(r.data) }
}

describe('create', () => {
	test.each([
		['marzban', () => ({ baseUrl: sims.marzban.url, username: 'admin', password: PASSWORD })],
		['pasarguard', () => ({ baseUrl: sims.pasarguard.url, apiKey: SIM_CREDENTIALS.pasarguardApiKey })],
		['marzneshin', () => ({ baseUrl: sims.marzneshin.url, username: 'admin', password: PASSWORD })],
		['wgdashboard', () => ({ baseUrl: sims.wgdashboard.url, apiKey: SIM_CREDENTIALS.wgdashboardApiKey })],
		['routeros', () => ({ baseUrl: sims.routeros.restUrl, transport: 'rest', ...SIM_CREDENTIALS.routeros })],
		['routeros', () => ({ host: '127.0.0.1', port: String(sims.routeros.apiPort), transport: 'api', ...SIM_CREDENTIALS.routeros })],
	] as const)('%s: connects, stores health and options, seals the secrets', async (kind, fields) => {
		const before = await prisma.node.count()
		const r = await post({ ...base, name: `n-${kind}`, kind, ...fields() })
		expect(r.status).toBe(302)
		const id = Number(r.location!.split('/').pop())
		const node = await prisma.node.findUniqueOrThrow({ where: { id } })
		expect(await prisma.node.count()).toBe(before + 1)
		expect(node.health).toBe('ok')
		expect(node.lastVersion).toBeTruthy()
		expect((node.options as { available: unknown[] }).available.length).toBeGreaterThan(0)
		const secret = (fields() as Record<string, string>).password ?? (fields() as Record<string, string>).apiKey
		expect(node.secrets).not.toContain(secret)
		expect(node.secrets).toMatch(/^v1\./)
		// the edit page's data never carries a secret back to the browser
		const loaded = JSON.stringify(await edit.loader({ request: getRequest(`/admin/nodes/${id}`, admin.cookie), params: { id: String(id) }, context: {} }))
		expect(loaded).not.toContain(secret)
		expect(loaded).not.toContain('secrets')
		expect(loaded).toContain('"hasPassword"')
	})

	test.each([
		['malformed URL', () => ({ kind: 'marzban', baseUrl: 'not a url', username: 'admin', password: PASSWORD }), 400, 'errors.url'],
		['ftp URL', () => ({ kind: 'marzban', baseUrl: 'ftp://x.example', username: 'admin', password: PASSWORD }), 400, 'errors.url'],
		['missing credentials', () => ({ kind: 'marzban', baseUrl: sims.marzban.url }), 400, 'errors.required'],
		['wrong credentials', () => ({ kind: 'marzban', baseUrl: sims.marzban.url, username: 'admin', password: 'wrong' }), 422, 'nodes.errors.auth_failed'],
		['wrong API key', () => ({ kind: 'wgdashboard', baseUrl: sims.wgdashboard.url, apiKey: 'nope' }), 422, 'nodes.errors.auth_failed'],
		['unreachable host', () => ({ kind: 'marzban', baseUrl: 'http://127.0.0.1:1', username: 'admin', password: PASSWORD }), 422, 'nodes.errors.unreachable'],
		['wrong kind for the URL', () => ({ kind: 'marzneshin', baseUrl: sims.wgdashboard.url, username: 'admin', password: PASSWORD }), 422, 'nodes.errors.'],
		['routeros api without host', () => ({ kind: 'routeros', transport: 'api', ...SIM_CREDENTIALS.routeros }), 400, 'errors.required'],
		['bad multiplier', () => ({ kind: 'marzban', baseUrl: sims.marzban.url, username: 'admin', password: PASSWORD, usageMultiplier: '-2' }), 400, 'nodes.errors.multiplier'],
		['unknown panel time zone', () => ({ kind: 'wgdashboard', baseUrl: sims.wgdashboard.url, apiKey: SIM_CREDENTIALS.wgdashboardApiKey, wgTimezone: 'Mars/Olympus' }), 400, 'nodes.errors.timeZone'],
		['10 kB name', () => ({ kind: 'marzban', baseUrl: sims.marzban.url, username: 'admin', password: PASSWORD, name: 'n'.repeat(10_240) }), 400, 'errors.tooLong'],
		['unknown kind', () => ({ kind: 'openvpn', baseUrl: sims.marzban.url }), 400, 'errors.required'],
	] as const)('%s → %s with a message, nothing saved', async (_n, fields, status, message) => {
		const before = await prisma.node.count()
		const r = await post({ ...base, name: 'bad', ...fields() })
		expect(r.status).toBe(status)
		expect(r.body).toContain(message)
		expect(r.body).not.toContain(PASSWORD === 'admin' ? 'password":"' : '')
		expect(await prisma.node.count()).toBe(before)
	})

	test('wgdashboard: the panel time zone is stored and reaches the adapter', async () => {
		const r = await post({ ...base, name: 'wg-tehran', kind: 'wgdashboard', baseUrl: sims.wgdashboard.url, apiKey: SIM_CREDENTIALS.wgdashboardApiKey, wgTimezone: 'Asia/Tehran' })
		expect(r.status).toBe(302)
		const id = Number(r.location!.split('/').pop())
		expect((await prisma.node.findUniqueOrThrow({ where: { id } })).options).toMatchObject({ wgTimezone: 'Asia/Tehran' })
		const { nodeConnection } = await import('~/models/node.server')
		expect((await nodeConnection(id)).options.wgTimezone).toBe('Asia/Tehran')
		const loaded = JSON.stringify(await edit.loader({ request: getRequest(`/admin/nodes/${id}`, admin.cookie), params: { id: String(id) }, context: {} }))
		expect(loaded).toContain('"wgTimezone":"Asia/Tehran"')
	})

	test('a proxy that refuses → unreachable, nothing saved; a working proxy is used', async () => {
		const before = await prisma.node.count()
		const refused = await post({ ...base, name: 'via-proxy', kind: 'marzban', baseUrl: sims.marzban.url, username: 'admin', password: PASSWORD, proxyUrl: 'http://127.0.0.1:1' })
		expect(refused.status).toBe(422)
		expect(refused.body).toContain('nodes.errors.unreachable')
		expect(await prisma.node.count()).toBe(before)

		// a minimal CONNECT proxy (what undici's ProxyAgent speaks) that counts the tunnels it opens
		let proxied = 0
		const proxy = createServer()
		proxy.on('connect', (req, socket, head) => {
			proxied++
			const [host, port] = req.url!.split(':')
			const upstream = connect(Number(port), host!, () => {
				socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
				upstream.write(head)
				upstream.pipe(socket)
				socket.pipe(upstream)
			})
			upstream.on('error', () => socket.destroy())
			socket.on('error', () => upstream.destroy())
		})
		await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r))
		const ok = await post({ ...base, name: 'via-proxy', kind: 'marzban', baseUrl: sims.marzban.url, username: 'admin', password: PASSWORD, proxyUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` })
		proxy.close()
		proxy.closeAllConnections()
		expect(ok.status).toBe(302)
		expect(proxied).toBeGreaterThan(0)
	})
})

describe('edit, test, soft delete', () => {
	test('blank secrets keep the stored ones; a failed re-test saves nothing; delete hides the node', async () => {
		const r = await post({ ...base, name: 'editable', kind: 'marzban', baseUrl: sims.marzban.url, username: 'admin', password: PASSWORD })
		const id = Number(r.location!.split('/').pop())
		const call = (fields: Record<string, string>) => settle(() => edit.action({ request: formRequest(`/admin/nodes/${id}`, fields, { cookie: admin.cookie }), params: { id: String(id) }, context: {} }))
		const saved = (await call({ intent: 'save', ...base, name: 'renamed', baseUrl: sims.marzban.url, password: '' })) as Response
		expect(saved.status).toBe(302)
		expect((await prisma.node.findUniqueOrThrow({ where: { id } })).name).toBe('renamed')

		const broken = (await call({ intent: 'save', ...base, name: 'broken', baseUrl: 'http://127.0.0.1:1' })) as unknown as { init: { status: number } }
		expect(broken.init.status).toBe(422)
		const after = await prisma.node.findUniqueOrThrow({ where: { id } })
		expect(after.name).toBe('renamed')
		expect(after.baseUrl).toBe(sims.marzban.url)

		sims.marzban.control.failNext(3, 'http500')
		const tested = (await call({ intent: 'test' })) as Response
		expect(tested.status).toBe(302)
		sims.marzban.control.clearFaults()
		expect((await prisma.node.findUniqueOrThrow({ where: { id } })).health).toBe('down')
		await call({ intent: 'test' })
		expect((await prisma.node.findUniqueOrThrow({ where: { id } })).health).toBe('ok')

		const deleted = (await call({ intent: 'delete' })) as Response
		expect(deleted.status).toBe(302)
		const rows = (await list.loader({ request: getRequest('/admin/nodes?q=renamed', admin.cookie), params: {}, context: {} })) as Awaited<ReturnType<typeof list.loader>>
		expect(rows.rows).toHaveLength(0)
		expect((await prisma.node.findUniqueOrThrow({ where: { id } })).deletedAt).not.toBeNull()
		const again = (await settle(() => edit.loader({ request: getRequest(`/admin/nodes/${id}`, admin.cookie), params: { id: String(id) }, context: {} }))) as Response
		expect(again.status).toBe(404)
		expect(await prisma.auditEvent.count({ where: { entityType: 'node', entityId: String(id) } })).toBe(3)
	})

	test('non-admins get 403; a bad id is a 404', async () => {
		const reseller = await loginAs('reseller')
		const res = (await settle(() => list.loader({ request: getRequest('/admin/nodes', reseller.cookie), params: {}, context: {} }))) as Response
		expect(res.status).toBe(403)
		const bad = (await settle(() => edit.loader({ request: getRequest('/admin/nodes/abc', admin.cookie), params: { id: 'abc' }, context: {} }))) as Response
		expect(bad.status).toBe(404)
	})
})
