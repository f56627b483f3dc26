// The HTTP client factory and the adapter quirks the contract suite cannot see: proxies, TLS
// verification, wrong-kind servers, error-body shapes, the re-login budget, next_plan carry-over.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isPanelError, type PanelErrorCode } from '~/services/panels/errors'
import { createPanelHttp, extractReason, forgetSharedTokens, formTokenLogin } from '~/services/panels/http.server'
import { createMarzbanAdapter } from '~/services/panels/marzban.server'
import { createPasarGuardAdapter } from '~/services/panels/pasarguard.server'
import type { NodeConnection } from '~/services/panels/types'
import { json, Router, SimControl, startHttpSim, TokenStore, type StartedHttpSim } from '../../sim/base'
import { startMarzbanSim, type MarzbanSim } from '../../sim/marzban'
import { startPasarGuardSim } from '../../sim/pasarguard'

const conn = (baseUrl: string, over: Partial<NodeConnection> = {}): NodeConnection => ({
	kind: 'marzban', baseUrl, tls: false, verifyTls: true, username: 'admin', password: 'admin', timeoutMs: 1000, options: {}, ...over,
})

async function failure(p: Promise<unknown>) {
	const e = await p.then(() => null, (err: unknown) => err)
	if (!isPanelError(e)) throw new Error(`expected a PanelError, got ${String(e)}`)
	return e
}
const expectCode = async (p: Promise<unknown>, code: PanelErrorCode) => expect((await failure(p)).code).toBe(code)

/** A CONNECT proxy (what undici's ProxyAgent speaks) that records the targets it was asked for. */
async function startConnectProxy(opts: { credentials?: string; refuse?: boolean } = {}) {
	const targets: string[] = []
	const sockets = new Set<net.Socket>()
	const server = http.createServer((_req, res) => res.writeHead(405).end())
	server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)) })
	server.on('connect', (req, client: net.Socket, head) => {
		targets.push(req.url ?? '')
		const wanted = opts.credentials && `Basic ${Buffer.from(opts.credentials).toString('base64')}`
		if (opts.refuse) return client.end('HTTP/1.1 403 Forbidden\r\n\r\n')
		if (wanted && req.headers['proxy-authorization'] !== wanted) return client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n')
		const [host, port] = (req.url ?? '').split(':')
		const upstream = net.connect(Number(port), host, () => {
			client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
			upstream.write(head)
			upstream.pipe(client)
			client.pipe(upstream)
		})
		upstream.on('error', () => client.destroy())
		client.on('error', () => upstream.destroy())
	})
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
	const port = (server.address() as net.AddressInfo).port
	return {
		port, targets,
		close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()) }),
	}
}

async function closedPort() {
	const s = net.createServer()
	await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
	const port = (s.address() as net.AddressInfo).port
	await new Promise<void>((r) => s.close(() => r()))
	return port
}

describe('proxy', () => {
	let sim: MarzbanSim
	beforeAll(async () => { sim = await startMarzbanSim() })
	afterAll(() => sim.close())

	it('sends every call through the proxy, with the URL credentials as Proxy-Authorization', async () => {
		const proxy = await startConnectProxy({ credentials: 'pu:p@ss' })
		const adapter = createMarzbanAdapter(conn(sim.url, { proxyUrl: `http://pu:${encodeURIComponent('p@ss')}@127.0.0.1:${proxy.port}` }))
		try {
			const created = await adapter.createAccount({ username: 'via_proxy', dataLimit: null, expireAt: null })
			expect(created.ref.username).toBe('via_proxy')
			expect(proxy.targets.length).toBeGreaterThan(0)
			expect(new Set(proxy.targets)).toEqual(new Set([`127.0.0.1:${sim.port}`]))
		} finally {
			await adapter.close?.()
			await proxy.close()
		}
	})

	it('a proxy that refuses the tunnel or the connection is unreachable, and never leaks its password', async () => {
		const proxy = await startConnectProxy({ refuse: true })
		const refusing = createMarzbanAdapter(conn(sim.url, { proxyUrl: `http://u:s3cr3t@127.0.0.1:${proxy.port}` }))
		const e = await failure(refusing.getAccount({ username: 'x' }))
		expect(e.code).toBe('unreachable')
		expect(e.message).not.toContain('s3cr3t')
		await refusing.close?.()
		await proxy.close()
		const dead = createMarzbanAdapter(conn(sim.url, { proxyUrl: `http://u:s3cr3t@127.0.0.1:${await closedPort()}` }))
		const e2 = await failure(dead.getAccount({ username: 'x' }))
		expect(e2.code).toBe('unreachable')
		expect(e2.message).not.toContain('s3cr3t')
		await dead.close?.()
	})
})

describe('failure mapping', () => {
	let server: StartedHttpSim
	let logins = 0
	const tokens = new TokenStore()
	beforeAll(async () => {
		const r = new Router()
		r.add('POST', '/token', (req) => {
			logins++
			return req.form?.password === 'right' ? json(200, { access_token: tokens.issue('a') }) : json(401, { detail: 'Incorrect username or password' })
		})
		r.add('GET', '/me', (req) => (tokens.fromRequest(req) ? json(200, { ok: true }) : json(401, { detail: 'Could not validate credentials' })))
		r.add('GET', '/always401', () => json(401, { detail: 'Could not validate credentials' }))
		r.add('GET', '/html', () => ({ status: 200, text: '<!doctype html><html></html>', headers: { 'content-type': 'text/html' } }))
		r.add('GET', '/html404', () => ({ status: 404, text: '<html>nginx</html>', headers: { 'content-type': 'text/html' } }))
		r.add('POST', '/fastapi422', () => json(422, { detail: [{ loc: ['body', 'username'], msg: 'field required', type: 'missing' }] }))
		r.add('POST', '/custom422', () => json(422, { detail: { group_ids: 'you must select at least one group' } }))
		r.add('POST', '/ros400', () => json(400, { error: 400, message: 'Bad Request' }))
		r.add('DELETE', '/gone', () => ({ status: 204 }))
		server = await startHttpSim(r, new SimControl({ addTraffic() {} }))
	})
	afterAll(() => server.close())
	const client = (password = 'right') => createPanelHttp(conn(server.url, { password }), { auth: formTokenLogin('/token', conn(server.url, { password })) })

	it('re-logs in once on 401 and then gives up with auth_failed', async () => {
		const c = client()
		logins = 0
		expect(await c.request('GET', '/me')).toEqual({ ok: true })
		tokens.expireAll()
		expect(await c.request('GET', '/me')).toEqual({ ok: true })
		expect(logins).toBe(2)
		await expectCode(c.request('GET', '/always401'), 'auth_failed')
		expect(logins).toBe(3)
		await c.close()
	})

	it('concurrent first calls share one login', async () => {
		forgetSharedTokens()
		const c = client()
		logins = 0
		await Promise.all(Array.from({ length: 5 }, () => c.request('GET', '/me')))
		expect(logins).toBe(1)
		await c.close()
	})

	it('a new client of the same login reuses its token (one login per panel, not per job); a 401 refreshes it for all', async () => {
		forgetSharedTokens()
		logins = 0
		const first = client()
		await first.request('GET', '/me')
		await first.close()
		const second = client()
		await second.request('GET', '/me')
		expect(logins).toBe(1)
		second.clearAuth() // what a 401 does: the next call logs in again, for every client
		const third = client()
		await third.request('GET', '/me')
		expect(logins).toBe(2)
		await second.close()
		await third.close()
	})

	it('bad credentials are auth_failed after a single login attempt, password not in the message', async () => {
		const c = client('hunter2-wrong')
		logins = 0
		const e = await failure(c.request('GET', '/me'))
		expect(e.code).toBe('auth_failed')
		expect(e.message).not.toContain('hunter2')
		expect(logins).toBe(1)
		await c.close()
	})

	it('HTML from the wrong kind of server is bad_response, even as a 404', async () => {
		const c = client()
		await expectCode(c.request('GET', '/html'), 'bad_response')
		await expectCode(c.request('GET', '/html404'), 'bad_response')
		await c.close()
	})

	it('extracts the panel reason from FastAPI, custom-422 and RouterOS bodies', async () => {
		const c = client()
		expect((await failure(c.request('POST', '/fastapi422', { json: {} }))).reason).toBe('username: field required')
		expect((await failure(c.request('POST', '/custom422', { json: {} }))).reason).toBe('group_ids: you must select at least one group')
		const ros = await failure(c.request('POST', '/ros400', { json: {} }))
		expect([ros.code, ros.reason]).toEqual(['rejected', 'Bad Request'])
		expect(extractReason({ detail: 'User not found' })).toBe('User not found')
		expect(extractReason({ error: 'nope' })).toBe('nope')
		await c.close()
	})

	it('204 is null; an unexpected 2xx status is bad_response', async () => {
		const c = client()
		expect(await c.request('DELETE', '/gone')).toBeNull()
		await expectCode(c.request('DELETE', '/gone', { expectStatus: 200 }), 'bad_response')
		await c.close()
	})

	it('a refused port and an unknown host are unreachable', async () => {
		const refused = createPanelHttp(conn(`http://127.0.0.1:${await closedPort()}`))
		expect((await failure(refused.request('POST', '/x'))).reason).toBe('connection refused')
		const nowhere = createPanelHttp(conn('http://panel.does-not-exist.invalid', { timeoutMs: 3000 }))
		await expectCode(nowhere.request('POST', '/x'), 'unreachable')
	})
})

describe('TLS verification', () => {
	const dir = mkdtempSync(join(tmpdir(), 'gh-tls-'))
	const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' })
	const maybe = made.status === 0 ? it : it.skip
	let server: https.Server
	let url = ''
	beforeAll(async () => {
		if (made.status !== 0) return
		server = https.createServer({ key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) }, (_q, res) => {
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
		})
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
		url = `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`
	})
	afterAll(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())))

	maybe('a self-signed panel is refused when verifying and accepted when not', async () => {
		const strict = createPanelHttp(conn(url, { tls: true, verifyTls: true }))
		const e = await failure(strict.request('GET', '/'))
		expect(e.code).toBe('unreachable')
		expect(e.reason).toMatch(/TLS|CERT/i)
		const lax = createPanelHttp(conn(url, { tls: true, verifyTls: false }))
		expect(await lax.request('GET', '/')).toEqual({ ok: true })
		await strict.close()
		await lax.close()
	})
})

describe('next_plan survives our PUTs', () => {
	it('Marzban: update, disable and enable keep the next plan', async () => {
		const sim = await startMarzbanSim()
		const adapter = createMarzbanAdapter(conn(sim.url))
		try {
			const { ref } = await adapter.createAccount({ username: 'np_user', dataLimit: null, expireAt: null })
			const plan = { data_limit: 1024, expire: 0, add_remaining_traffic: false, fire_on_either: true }
			sim.state.users.get('np_user')!.nextPlan = plan
			await adapter.updateAccount(ref, { dataLimit: 5n * 1024n ** 3n })
			await adapter.disable(ref)
			await adapter.enable(ref)
			expect(sim.state.users.get('np_user')!.nextPlan).toEqual(plan)
		} finally {
			await adapter.close?.()
			await sim.close()
		}
	})

	it('PasarGuard: update keeps the next plan; links come from /sub/<token>/links under the public base', async () => {
		const sim = await startPasarGuardSim()
		const adapter = createPasarGuardAdapter(conn(sim.url, { kind: 'pasarguard', options: { publicBaseUrl: 'https://sub.example.com/' } }))
		try {
			const { ref } = await adapter.createAccount({ username: 'np_pg', dataLimit: null, expireAt: null })
			sim.state.byId.get(Number(ref.remoteId))!.nextPlan = { data_limit: 1 }
			await adapter.updateAccount(ref, { expireAt: new Date(Date.now() + 86_400_000) })
			expect(sim.state.byId.get(Number(ref.remoteId))!.nextPlan).toEqual({ data_limit: 1 })
			const links = await adapter.getLinks(ref)
			expect(links.kind === 'links' && links.subscriptionUrl).toMatch(/^https:\/\/sub\.example\.com\/sub\/[^/]+$/)
			expect(sim.control.stats().byRoute['GET /sub/:token/:type']).toBe(1)
		} finally {
			await adapter.close?.()
			await sim.close()
		}
	})
})

describe('createAdapter', () => {
	it('picks the adapter by kind', async () => {
		const { createAdapter } = await import('~/services/panels/index.server')
		for (const kind of ['marzban', 'pasarguard', 'marzneshin', 'wgdashboard'] as const) {
			const adapter = createAdapter(conn('http://127.0.0.1:1', { kind, apiKey: 'k' }))
			expect(adapter.kind).toBe(kind)
			await adapter.close?.()
		}
		const ros = createAdapter(conn('http://127.0.0.1:1', { kind: 'routeros', transport: 'rest', host: '127.0.0.1', port: 1 }))
		expect(ros.kind).toBe('routeros')
		await ros.close?.()
	})
})
