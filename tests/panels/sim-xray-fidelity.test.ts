// The simulators hold to the panels' own validators and lookups (issue 10), checked with raw HTTP so
// a simulator cannot drift into agreeing with a wrong adapter. Sources are cited at each case.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isPanelError } from '~/services/panels/errors'
import { createMarzneshinAdapter } from '~/services/panels/marzneshin.server'
import { remoteUsernameOf } from '~/services/panels/remote-username'
import { startMarzbanSim, type MarzbanSim } from '../../sim/marzban'
import { startMarzneshinSim, type MarzneshinSim } from '../../sim/marzneshin'
import { startPasarGuardSim, type PasarGuardSim } from '../../sim/pasarguard'

async function login(base: string, path: string, username = 'admin', password = username) {
	const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username, password }).toString() })
	return ((await res.json()) as { access_token: string }).access_token
}
async function call(base: string, token: string, method: string, path: string, json?: unknown) {
	const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${token}`, ...(json ? { 'content-type': 'application/json' } : {}) }, body: json ? JSON.stringify(json) : undefined })
	const text = await res.text()
	return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : null }
}

describe('Marzban v0.8.4 usernames', () => {
	let sim: MarzbanSim
	let token: string
	const create = (username: string) => call(sim.url, token, 'POST', '/api/user', { username, proxies: { vless: {} }, inbounds: {}, status: 'active' })
	beforeAll(async () => {
		sim = await startMarzbanSim()
		token = await login(sim.url, '/api/admin/token')
	})
	afterAll(() => sim.close())

	it('follows USERNAME_REGEXP: the name must open with 3–32 word characters (app/models/user.py)', async () => {
		for (const ok of ['abc.d', 'abc@x.y', 'a_b-c', 'Bob_G7']) expect((await create(ok)).status, ok).toBe(200)
		for (const bad of ['ab.cd', '.abc', 'ab', 'bob!', 'علی_g1', 'x'.repeat(33)]) {
			const r = await create(bad)
			expect(r.status, bad).toBe(422)
			expect(r.body!.detail.username).toMatch(/3 to 32 characters/)
		}
	})

	it('is case-insensitive: Bob conflicts with bob and any case reads it (NOCASE column, crud.get_user)', async () => {
		expect((await create('casey_1')).status).toBe(200)
		expect((await create('CASEY_1')).status).toBe(409)
		const got = await call(sim.url, token, 'GET', '/api/user/Casey_1')
		expect(got.status).toBe(200)
		expect(got.body!.username).toBe('casey_1')
	})
})

describe('PasarGuard v5.2.1 usernames', () => {
	let sim: PasarGuardSim
	let token: string
	const create = (username: string) => call(sim.url, token, 'POST', '/api/user', { username, group_ids: [1], status: 'active' })
	beforeAll(async () => {
		sim = await startPasarGuardSim()
		token = await login(sim.url, '/api/admin/token')
	})
	afterAll(() => sim.close())

	it('refuses two special characters in a row with 422 (validators.py validate_username)', async () => {
		// The hub's old remote name for a customer called "Bob!" was `bob__g7`: never provisionable here.
		for (const bad of ['bob__g7', 'a_-b', 'a..b', 'ab', 'a b', 'x'.repeat(129)]) {
			const r = await create(bad)
			expect(r.status, bad).toBe(422)
			expect(typeof r.body!.detail.username).toBe('string')
		}
		expect((await create(remoteUsernameOf(7, 'Bob!'))).status).toBe(201)
		expect((await create(`${'x'.repeat(120)}_g7`)).status).toBe(201)
	})

	it('is case-sensitive, unlike Marzban (CaseSensitiveString: utf8mb4_bin / COLLATE "C")', async () => {
		expect((await create('Kase_1')).status).toBe(201)
		expect((await create('kase_1')).status).toBe(201)
		expect((await call(sim.url, token, 'GET', '/api/user/by-username/KASE_1')).status).toBe(404)
	})
})

describe('Marzneshin with a non-sudo admin', () => {
	let sim: MarzneshinSim
	beforeAll(async () => {
		sim = await startMarzneshinSim({ admins: { admin: 'admin', reseller: 'reseller' }, nonSudo: ['reseller'] })
	})
	afterAll(() => sim.close())

	it('answers 403 for a missing user and for another admin\'s, 404 only to a sudo admin (dependencies.py get_user)', async () => {
		const sudo = await login(sim.url, '/api/admins/token', 'admin')
		const mine = await login(sim.url, '/api/admins/token', 'reseller')
		expect((await call(sim.url, sudo, 'POST', '/api/users', { username: 'of_sudo', expire_strategy: 'never', service_ids: [1] })).status).toBe(200)
		expect((await call(sim.url, mine, 'POST', '/api/users', { username: 'of_reseller', expire_strategy: 'never', service_ids: [1] })).status).toBe(200)
		expect(await call(sim.url, mine, 'GET', '/api/users/nobody_here')).toEqual({ status: 403, body: { detail: "You're not allowed" } })
		expect((await call(sim.url, mine, 'GET', '/api/users/of_sudo')).status).toBe(403)
		expect((await call(sim.url, mine, 'GET', '/api/users/of_reseller')).status).toBe(200)
		expect((await call(sim.url, sudo, 'GET', '/api/users/nobody_here')).status).toBe(404)
		const listed = await call(sim.url, mine, 'GET', '/api/users?page=1&size=100')
		expect(listed.body!.items.map((u: { username: string }) => u.username)).toEqual(['of_reseller'])
	})

	it('the adapter reads those 403s as not_found, on reads and on writes', async () => {
		const adapter = createMarzneshinAdapter({ kind: 'marzneshin', baseUrl: sim.url, tls: false, verifyTls: true, username: 'reseller', password: 'reseller', timeoutMs: 2000, options: { serviceIds: [1] } })
		try {
			for (const op of [
				() => adapter.getAccount({ username: 'gone_user' }),
				() => adapter.updateAccount({ username: 'gone_user' }, { dataLimit: 1n }),
				() => adapter.disable({ username: 'gone_user' }),
				() => adapter.deleteAccount({ username: 'gone_user' }),
			]) {
				const err = await op().catch((e: unknown) => e)
				expect(isPanelError(err, 'not_found'), String(err)).toBe(true)
			}
		} finally {
			await adapter.close?.()
		}
	})

	it('accepts Unicode word characters and lower-cases them (pydantic Rust regex \\w, to_lower)', async () => {
		const sudo = await login(sim.url, '/api/admins/token', 'admin')
		const r = await call(sim.url, sudo, 'POST', '/api/users', { username: 'Ali_علی', expire_strategy: 'never', service_ids: [1] })
		expect(r.status).toBe(200)
		expect(r.body!.username).toBe('ali_علی')
		expect((await call(sim.url, sudo, 'POST', '/api/users', { username: 'a-b-c', expire_strategy: 'never' })).status).toBe(422)
	})
})
