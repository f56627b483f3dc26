// Login throttling (docs/decisions/008-login-throttling.md): no shared lock, no lock-out by
// strangers, nothing a forged header can reset, and delays that grow without the server sleeping.
import { describe, expect, test } from 'vitest'
import { action as loginAction } from '~/routes/_auth+/login'
import { prisma } from '~/utils/db.server'
import { recordFailure, retryAfter, RULES, throttleKeys, type ThrottleKey } from '~/utils/throttle.server'
import { createUser, TEST_PASSWORD } from '../factories'
import { contextFor, cookiesFrom, settle } from '../helpers'

function loginRequest(fields: Record<string, string>, headers: Record<string, string> = {}) {
	return new Request('http://localhost/login', {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
		body: new URLSearchParams(fields),
	})
}

/** One login attempt from `ip` (the socket address, as server/index.ts resolves it). */
async function attempt(fields: Record<string, string>, ip: string, headers: Record<string, string> = {}) {
	const result = await settle(() => loginAction({ request: loginRequest(fields, headers), params: {}, context: contextFor(ip) }))
	if (result instanceof Response) return { status: result.status, retryAfter: null, response: result }
	const r = result as unknown as { data: unknown; init: { status: number; headers?: Record<string, string> } }
	return { status: r.init.status, retryAfter: r.init.headers?.['Retry-After'] ?? null, body: JSON.stringify(r.data), response: null }
}

const ms = (t: number) => new Date(t)

describe('login throttling through the login action', () => {
	test('a fresh X-Forwarded-For per request does not make a new client: spraying usernames from one address is stopped', async () => {
		const ip = '198.51.100.50'
		for (let i = 0; i <= RULES.address.free; i++) {
			const r = await attempt({ username: `spray${i}`, password: 'guess' }, ip, { 'X-Forwarded-For': `10.0.${i}.1`, 'Fly-Client-IP': `10.1.${i}.1` })
			expect(r.status).toBe(400)
		}
		const blocked = await attempt({ username: 'spray-next', password: 'guess' }, ip, { 'X-Forwarded-For': '10.9.9.9' })
		expect(blocked.status).toBe(429)
		expect(blocked.body).toContain('login.throttled')
		expect(Number(blocked.retryAfter)).toBeGreaterThan(0)
		expect(Number(blocked.retryAfter)).toBeLessThanOrEqual(RULES.address.baseMs / 1000)
		// Another client is not affected: there is no shared `ip:unknown` lock any more.
		const user = await createUser('admin')
		expect((await attempt({ username: user.username, password: TEST_PASSWORD }, '198.51.100.51')).status).toBe(302)
	})

	test("a stranger's failures from another address never keep the right password out", async () => {
		const admin = await createUser('admin')
		for (let i = 0; i < 12; i++) {
			const r = await attempt({ username: admin.username, password: 'wrong-password' }, '192.0.2.66')
			expect([400, 429]).toContain(r.status)
		}
		// The stranger's own address is slowed …
		expect((await attempt({ username: admin.username, password: 'wrong-password' }, '192.0.2.66')).status).toBe(429)
		// … the admin, from his own address and without any cookie, is not.
		const ok = await attempt({ username: admin.username, password: TEST_PASSWORD }, '192.0.2.10')
		expect(ok.status).toBe(302)
		expect(ok.response!.headers.get('Location')).toBe('/admin')
	})

	test('a botnet slows a username for new devices only; a browser that logged in before goes straight in', async () => {
		const admin = await createUser('admin')
		const first = await attempt({ username: admin.username, password: TEST_PASSWORD }, '192.0.2.20')
		const device = cookiesFrom(first.response!).split('; ').find((c) => c.startsWith('__device='))!
		expect(device).toBeTruthy()
		// Failures from many addresses on the username (counted directly: the test must not race the delays).
		const userKey: ThrottleKey[] = [{ key: `user:${admin.username}`, kind: 'username' }]
		for (let i = 0; i < RULES.username.free + 6; i++) await recordFailure(userKey)
		const fresh = await attempt({ username: admin.username, password: TEST_PASSWORD }, '192.0.2.21')
		expect(fresh.status).toBe(429)
		expect(Number(fresh.retryAfter)).toBeLessThanOrEqual(RULES.username.maxMs / 1000)
		// The trusted browser gets in, even from an address the attacker shares.
		const trusted = await attempt({ username: admin.username, password: TEST_PASSWORD }, '192.0.2.21', { Cookie: device })
		expect(trusted.status).toBe(302)
		// A device cookie is bound to its username: it does not lift another user's limits.
		const other = await createUser('reseller')
		for (let i = 0; i < RULES.username.free + 6; i++) await recordFailure([{ key: `user:${other.username}`, kind: 'username' }])
		expect((await attempt({ username: other.username, password: TEST_PASSWORD }, '192.0.2.22', { Cookie: device })).status).toBe(429)
	})
})

describe('throttle policy (explicit clock)', () => {
	const request = new Request('http://localhost/login')

	test('per username and address: free failures, then delays doubling from 1 s up to 15 min', async () => {
		const keys = (await throttleKeys(request, '203.0.113.80', 'progressive')).filter((k) => k.kind === 'pair')
		let t = Date.parse('2026-12-01T10:00:00Z')
		for (let i = 0; i < RULES.pair.free; i++) {
			await recordFailure(keys, ms(t))
			expect(await retryAfter(keys, ms(t))).toBe(0)
		}
		const delays: number[] = []
		for (let i = 0; i < 12; i++) {
			await recordFailure(keys, ms(t))
			const wait = await retryAfter(keys, ms(t))
			delays.push(wait)
			t += wait * 1000 // the client waits exactly as long as told, then fails again
		}
		expect(delays).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900])
		expect(t - Date.parse('2026-12-01T10:00:00Z')).toBeLessThan(RULES.pair.windowMs)
	})

	test('counts start over after the window', async () => {
		const keys = (await throttleKeys(request, '203.0.113.81', 'window')).filter((k) => k.kind === 'pair')
		const t = Date.parse('2026-12-01T10:00:00Z')
		for (let i = 0; i <= RULES.pair.free; i++) await recordFailure(keys, ms(t))
		expect(await retryAfter(keys, ms(t))).toBe(1)
		await recordFailure(keys, ms(t + RULES.pair.windowMs + 1))
		expect(await retryAfter(keys, ms(t + RULES.pair.windowMs + 1))).toBe(0)
		expect((await prisma.loginThrottle.findUnique({ where: { key: keys[0]!.key } }))!.failures).toBe(1)
	})
})
