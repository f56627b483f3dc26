// Pins the simulators to the documented panel behaviour (panel-contracts.md §1–3) with raw fetch,
// so a simulator cannot drift into agreeing with a wrong adapter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { remoteControl } from '../../sim/base'
import { startMarzbanSim, type MarzbanSim } from '../../sim/marzban'
import { startMarzneshinSim, type MarzneshinSim } from '../../sim/marzneshin'
import { startPasarGuardSim, type PasarGuardSim } from '../../sim/pasarguard'

type Json = Record<string, any>

async function call(base: string, method: string, path: string, opts: { token?: string; json?: unknown; headers?: Record<string, string> } = {}) {
	const headers: Record<string, string> = { ...opts.headers }
	if (opts.token) headers.authorization = `Bearer ${opts.token}`
	if (opts.json !== undefined) headers['content-type'] = 'application/json'
	const res = await fetch(base + path, { method, headers, body: opts.json === undefined ? undefined : JSON.stringify(opts.json) })
	const text = await res.text()
	let body: any = text
	try {
		body = JSON.parse(text)
	} catch {}
	return { status: res.status, body, text, headers: res.headers }
}

async function formLogin(base: string, path: string, username = 'admin', password = 'admin') {
	const res = await fetch(base + path, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ username, password }).toString(),
	})
	return { status: res.status, body: (await res.json()) as Json }
}

const NAIVE_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/
const AWARE_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+00:00$/

describe('Marzban simulator', () => {
	let sim: MarzbanSim
	let token: string
	const base = () => sim.url
	beforeAll(async () => {
		sim = await startMarzbanSim()
		token = (await formLogin(sim.url, '/api/admin/token')).body.access_token
	})
	afterAll(() => sim.close())

	it('logs in with a form only; JSON gets 422, bad password 401', async () => {
		const jsonLogin = await call(base(), 'POST', '/api/admin/token', { json: { username: 'admin', password: 'admin' } })
		expect(jsonLogin.status).toBe(422)
		expect(typeof jsonLogin.body.detail).toBe('object')
		const ok = await formLogin(base(), '/api/admin/token')
		expect(ok.status).toBe(200)
		expect(ok.body.token_type).toBe('bearer')
		expect(ok.body.access_token.split('.')).toHaveLength(3)
		const bad = await formLogin(base(), '/api/admin/token', 'admin', 'nope')
		expect(bad).toEqual({ status: 401, body: { detail: 'Incorrect username or password' } })
		expect((await call(base(), 'GET', '/api/admin')).body).toEqual({ detail: 'Not authenticated' })
		expect((await call(base(), 'GET', '/api/admin', { token: 'x.y.z' })).body).toEqual({ detail: 'Could not validate credentials' })
	})

	it('creates with 200, unix-seconds expire, bytes, naive datetimes, links and a relative sub URL', async () => {
		const expire = Math.floor(Date.now() / 1000) + 86_400
		const r = await call(base(), 'POST', '/api/user', { token, json: { username: 'alice', proxies: { vless: {} }, inbounds: {}, expire, data_limit: 1073741824, status: 'active' } })
		expect(r.status).toBe(200)
		expect(r.body.expire).toBe(expire)
		expect(r.body.data_limit).toBe(1073741824)
		expect(r.body.used_traffic).toBe(0)
		expect(r.body.created_at).toMatch(NAIVE_ISO)
		expect(r.body.subscription_url).toMatch(/^\/sub\/[A-Za-z0-9_-]+$/)
		expect(r.body.links.length).toBeGreaterThan(0)
		expect(r.body.links[0]).toMatch(/^vless:\/\//)
		const dup = await call(base(), 'POST', '/api/user', { token, json: { username: 'ALICE', proxies: { vless: {} }, inbounds: {} } })
		expect(dup).toMatchObject({ status: 409, body: { detail: 'User already exists' } })
	})

	it('uses the custom 422 shape and rejects empty proxies and disabled protocols', async () => {
		const bad = await call(base(), 'POST', '/api/user', { token, json: { username: 'a b', proxies: { vless: {} } } })
		expect(bad.status).toBe(422)
		expect(typeof bad.body.detail.username).toBe('string')
		const noProxy = await call(base(), 'POST', '/api/user', { token, json: { username: 'noproxy', proxies: {} } })
		expect(noProxy.body).toEqual({ detail: { proxies: 'Each user needs at least one proxy' } })
		const strLimit = await call(base(), 'POST', '/api/user', { token, json: { username: 'strlimit', proxies: { vless: {} }, data_limit: '5' } })
		expect(strLimit.status).toBe(422)
	})

	it('gives a user created without `inbounds` no inbound at all', async () => {
		const r = await call(base(), 'POST', '/api/user', { token, json: { username: 'noinb', proxies: { vless: {} } } })
		expect(r.status).toBe(200)
		expect(r.body.links).toEqual([])
	})

	it('drops next_plan on a PUT that omits it', async () => {
		const plan = { data_limit: 100, expire: 0, add_remaining_traffic: false, fire_on_either: true }
		await call(base(), 'POST', '/api/user', { token, json: { username: 'planned', proxies: { vless: {} }, inbounds: {}, next_plan: plan } })
		const kept = await call(base(), 'PUT', '/api/user/planned', { token, json: { data_limit: 5, next_plan: plan } })
		expect(kept.body.next_plan).toEqual(plan)
		const dropped = await call(base(), 'PUT', '/api/user/planned', { token, json: { data_limit: 6 } })
		expect(dropped.body.next_plan).toBeNull()
		expect(dropped.body.data_limit).toBe(6)
	})

	it('recomputes limited on PUT and flips a disabled user to active on reset', async () => {
		await call(base(), 'POST', '/api/user', { token, json: { username: 'heavy', proxies: { vless: {} }, inbounds: {} } })
		sim.control.addTraffic({ heavy: 5000 })
		expect((await call(base(), 'PUT', '/api/user/heavy', { token, json: { data_limit: 1000 } })).body.status).toBe('limited')
		await call(base(), 'PUT', '/api/user/heavy', { token, json: { status: 'disabled' } })
		const reset = await call(base(), 'POST', '/api/user/heavy/reset', { token })
		expect(reset.body).toMatchObject({ status: 'active', used_traffic: 0, lifetime_used_traffic: 5000 })
		const del = await call(base(), 'DELETE', '/api/user/heavy', { token })
		expect(del).toMatchObject({ status: 200, body: { detail: 'User successfully deleted' } })
		expect((await call(base(), 'GET', '/api/user/heavy', { token })).body).toEqual({ detail: 'User not found' })
	})

	it('pages {users,total} by offset/limit and returns all without a limit', async () => {
		const page = await call(base(), 'GET', '/api/users?offset=1&limit=2&sort=created_at', { token })
		expect(Object.keys(page.body).sort()).toEqual(['total', 'users'])
		expect(page.body.users).toHaveLength(2)
		const all = await call(base(), 'GET', '/api/users', { token })
		expect(all.body.users).toHaveLength(all.body.total)
		expect(page.body.users[0].username).toBe(all.body.users[1].username)
	})

	it('serves base64 links with subscription-userinfo, and revoke_sub kills old tokens', async () => {
		const u = (await call(base(), 'GET', '/api/user/alice', { token })).body
		const sub = await call(base(), 'GET', u.subscription_url)
		expect(sub.status).toBe(200)
		expect(Buffer.from(sub.text, 'base64').toString()).toContain('vless://')
		expect(sub.headers.get('subscription-userinfo')).toBe(`upload=0; download=0; total=1073741824; expire=${u.expire}`)
		await call(base(), 'POST', '/api/user/alice/revoke_sub', { token })
		expect((await call(base(), 'GET', u.subscription_url)).status).toBe(404)
		expect((await call(base(), 'GET', '/api/system', { token })).body.version).toBe('0.8.4')
	})

	it('is driven over HTTP by /__sim/ routes', async () => {
		await remoteControl(base(), 'failNext', { n: 1, mode: 'http500', method: 'GET' })
		expect((await call(base(), 'GET', '/api/user/alice', { token })).status).toBe(500)
		expect((await call(base(), 'GET', '/api/user/alice', { token })).status).toBe(200)
		await remoteControl(base(), 'expireTokens')
		expect((await call(base(), 'GET', '/api/user/alice', { token })).status).toBe(401)
		const stats = (await remoteControl(base(), 'stats')) as { byRoute: Record<string, number> }
		expect(stats.byRoute['GET /api/user/:username']).toBeGreaterThanOrEqual(3)
		token = (await formLogin(base(), '/api/admin/token')).body.access_token
	})

	it('holds 100k users and pages the last 1000', async () => {
		sim.control.seed(100_000, 'bulk')
		const page = await call(base(), 'GET', '/api/users?offset=99000&limit=1000&sort=created_at', { token })
		expect(page.body.users).toHaveLength(1000)
		expect(page.body.total).toBeGreaterThanOrEqual(100_000)
	})
})

describe('PasarGuard simulator', () => {
	let sim: PasarGuardSim
	let token: string
	const base = () => sim.url
	beforeAll(async () => {
		sim = await startPasarGuardSim()
		token = (await formLogin(sim.url, '/api/admin/token')).body.access_token
	})
	afterAll(() => sim.close())

	it('creates with 201 and an id; group_ids is required and non-empty', async () => {
		const missing = await call(base(), 'POST', '/api/user', { token, json: { username: 'bob', status: 'active' } })
		expect(missing.body).toEqual({ detail: { group_ids: 'you must select at least one group' } })
		const empty = await call(base(), 'POST', '/api/user', { token, json: { username: 'bob', group_ids: [] } })
		expect(empty.status).toBe(422)
		const expire = Math.floor(Date.now() / 1000) + 3600
		const ok = await call(base(), 'POST', '/api/user', { token, json: { username: 'bob', group_ids: [1], expire, data_limit: 2048 } })
		expect(ok.status).toBe(201)
		expect(typeof ok.body.id).toBe('number')
		// unix seconds in, tz-aware ISO out
		expect(ok.body.expire).toMatch(AWARE_ISO)
		expect(Date.parse(ok.body.expire)).toBe(expire * 1000)
		expect(ok.body.links).toBeUndefined()
		expect(ok.body.subscription_url).toMatch(/^\/sub\//)
		const twoSpecials = await call(base(), 'POST', '/api/user', { token, json: { username: 'b__b', group_ids: [1] } })
		expect(twoSpecials.status).toBe(422)
	})

	it('leaves subscription_url empty in lists unless load_sub=true', async () => {
		const plain = await call(base(), 'GET', '/api/users?offset=0&limit=10', { token })
		expect(plain.body.users[0].subscription_url).toBe('')
		const loaded = await call(base(), 'GET', '/api/users?offset=0&limit=10&load_sub=true', { token })
		expect(loaded.body.users[0].subscription_url).toMatch(/^\/sub\//)
	})

	it('accepts API keys in X-Api-Key and Authorization: ApiKey', async () => {
		const [key] = sim.state.apiKeys
		expect((await call(base(), 'GET', '/api/admin', { headers: { 'x-api-key': key } })).status).toBe(200)
		expect((await call(base(), 'GET', '/api/admin', { headers: { authorization: `ApiKey ${key}` } })).status).toBe(200)
		expect((await call(base(), 'GET', '/api/admin', { headers: { 'x-api-key': 'pg_key_wrong' } })).status).toBe(401)
	})

	it('disables via /disabled, drops next_plan on PUT, deletes with 204', async () => {
		const u = (await call(base(), 'POST', '/api/user', { token, json: { username: 'carol', group_ids: [1], next_plan: { data_limit: 1 } } })).body
		const off = await call(base(), 'PUT', `/api/user/by-id/${u.id}/disabled`, { token, json: { disabled: true } })
		expect(off.body.status).toBe('disabled')
		const on = await call(base(), 'PUT', `/api/user/by-id/${u.id}/disabled`, { token, json: { disabled: false } })
		expect(on.body.status).toBe('active')
		expect(on.body.next_plan).toEqual({ data_limit: 1 })
		expect((await call(base(), 'PUT', `/api/user/by-id/${u.id}`, { token, json: { note: 'x' } })).body.next_plan).toBeNull()
		const links = await call(base(), 'GET', `${u.subscription_url}/links`)
		expect(links.text.split('\n')[0]).toMatch(/^(vmess|vless|trojan|ss):\/\//)
		const del = await call(base(), 'DELETE', `/api/user/by-id/${u.id}`, { token })
		expect(del.status).toBe(204)
		expect(del.text).toBe('')
		expect((await call(base(), 'GET', `/api/user/by-id/${u.id}`, { token })).status).toBe(404)
		expect((await call(base(), 'GET', '/api/system', { token })).body.version).toBe('5.2.1')
	})
})

describe('Marzneshin simulator', () => {
	let sim: MarzneshinSim
	let token: string
	const base = () => sim.url
	beforeAll(async () => {
		sim = await startMarzneshinSim()
		token = (await formLogin(sim.url, '/api/admins/token')).body.access_token
	})
	afterAll(() => sim.close())

	it('logs in at the plural /api/admins/token only', async () => {
		expect((await formLogin(base(), '/api/admin/token')).status).toBe(404)
		expect((await formLogin(base(), '/api/admins/token')).body).toMatchObject({ is_sudo: true, token_type: 'bearer' })
	})

	it('lower-cases usernames, needs expire_strategy, returns naive expire_date and a stable sub URL', async () => {
		expect((await call(base(), 'POST', '/api/users', { token, json: { username: 'Dave', service_ids: [1] } })).status).toBe(422)
		const r = await call(base(), 'POST', '/api/users', {
			token,
			json: { username: 'Dave', service_ids: [1], expire_strategy: 'fixed_date', expire_date: '2030-01-02T03:04:05Z', data_limit: 0 },
		})
		expect(r.status).toBe(200)
		expect(r.body.username).toBe('dave')
		expect(r.body.expire_date).toBe('2030-01-02T03:04:05')
		expect(r.body.expire_date).toMatch(NAIVE_ISO)
		expect(r.body.subscription_url).toBe(`/sub/dave/${r.body.key}`)
		expect(r.body.status).toBeUndefined()
		expect(r.body.is_active).toBe(true)
		expect((await call(base(), 'GET', '/api/users/dave', { token })).body.subscription_url).toBe(r.body.subscription_url)
		expect((await call(base(), 'GET', '/api/users/Dave', { token })).status).toBe(404)
		expect((await call(base(), 'POST', '/api/users', { token, json: { username: 'bad-name', expire_strategy: 'never' } })).status).toBe(422)
	})

	it('needs username in the PUT body and 409s a repeated enable/disable', async () => {
		const noName = await call(base(), 'PUT', '/api/users/dave', { token, json: { data_limit: 10 } })
		expect(noName.body).toEqual({ detail: { username: 'Field required' } })
		expect((await call(base(), 'PUT', '/api/users/dave', { token, json: { username: 'dave', data_limit: 10 } })).body.data_limit).toBe(10)
		expect((await call(base(), 'POST', '/api/users/dave/enable', { token })).body).toEqual({ detail: 'User is already enabled' })
		expect((await call(base(), 'POST', '/api/users/dave/disable', { token })).status).toBe(200)
		const twice = await call(base(), 'POST', '/api/users/dave/disable', { token })
		expect(twice).toMatchObject({ status: 409, body: { detail: 'User is not enabled' } })
	})

	it('pages with page/size ≤ 100 and soft-deletes with 200 {}', async () => {
		expect((await call(base(), 'GET', '/api/users?page=1&size=101', { token })).status).toBe(422)
		const page = await call(base(), 'GET', '/api/users?page=1&size=100&order_by=created_at', { token })
		expect(page.body).toMatchObject({ page: 1, size: 100, pages: 1 })
		expect(Array.isArray(page.body.items)).toBe(true)
		const links = await call(base(), 'GET', '/sub/dave/' + page.body.items[0].key + '/links')
		expect(links.text).toMatch(/:\/\//)
		expect((await call(base(), 'DELETE', '/api/users/dave', { token })).body).toEqual({})
		const again = await call(base(), 'POST', '/api/users', { token, json: { username: 'dave', expire_strategy: 'never' } })
		expect(again.status).toBe(200)
	})
})
