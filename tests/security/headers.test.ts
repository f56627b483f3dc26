// The Express layer in front of Remix (server/middleware.ts), over a real socket: security headers
// on every kind of response, request ids, the client address from the socket, and /sub guessing.
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'
import express from 'express'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { SUB_MISS_LIMIT } from '~/services/sub-guard.server'
import { prisma } from '~/utils/db.server'
import type { TrustProxy } from '~/utils/request.server'
import { locals, requestContext, securityHeaders, subscriptionFastPath } from '../../server/middleware'

/** The same middleware order as server/index.ts, with stand-ins for what Remix answers. */
function app(trust: TrustProxy, production = true) {
	const a = express()
	a.use(requestContext(trust))
	a.use(securityHeaders({ production }))
	a.get('/sub/:token', subscriptionFastPath)
	a.get('/redirect', (_req, res) => res.redirect(302, '/login'))
	a.get('/reseller.data', (_req, res) => res.type('text/x-script').send('[]'))
	a.get('/resources/healthcheck', (_req, res) => res.json({ ok: true }))
	a.get('/whoami', (_req, res) => res.json(locals(res)))
	return a
}

const servers: Array<{ close(): void }> = []
async function listen(a: express.Express) {
	const server = a.listen(0, '127.0.0.1')
	servers.push(server)
	await new Promise((r) => server.once('listening', r))
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}
afterAll(() => servers.forEach((s) => s.close()))

let base: string
let token: string
beforeAll(async () => {
	base = await listen(app(false))
	token = randomBytes(24).toString('base64url')
	await prisma.customer.create({ data: { username: 'headers1', dataLimitBytes: 1n << 30n, expireAt: new Date(Date.now() + 86_400_000), subToken: token } })
})

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers, redirect: 'manual' })

describe('security headers', () => {
	test.each(['/redirect', '/reseller.data', '/resources/healthcheck', `/sub/${'x'.repeat(30)}`])('%s carries them', async (path) => {
		const res = await get(path)
		expect(res.headers.get('x-content-type-options')).toBe('nosniff')
		expect(res.headers.get('referrer-policy')).toBe('same-origin')
		expect(res.headers.get('x-frame-options')).toBe('DENY')
		expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/)
		const csp = res.headers.get('content-security-policy')!
		expect(csp).toContain("frame-ancestors 'none'")
		expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'/)
		expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/)
		expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
	})

	test('HSTS only in production; development allows the HMR websocket', async () => {
		const dev = await listen(app(false, false))
		const res = await fetch(`${dev}/resources/healthcheck`)
		expect(res.headers.get('strict-transport-security')).toBeNull()
		expect(res.headers.get('content-security-policy')).toContain('connect-src')
		expect(res.headers.get('content-security-policy')).toMatch(/connect-src 'self' ws:/)
	})

	test('every request gets its own id and nonce, and the loaders see the same ones', async () => {
		const a = await get('/whoami')
		const b = await get('/whoami')
		const la = (await a.json()) as { requestId: string; cspNonce: string }
		const lb = (await b.json()) as { requestId: string; cspNonce: string }
		expect(la.requestId).toBe(a.headers.get('x-request-id'))
		expect(la.requestId).not.toBe(lb.requestId)
		expect(la.cspNonce).not.toBe(lb.cspNonce)
		expect(a.headers.get('content-security-policy')).toContain(`'nonce-${la.cspNonce}'`)
	})

	test('no-store on .data and on anything a signed-in browser gets; public pages stay cacheable', async () => {
		expect((await get('/reseller.data')).headers.get('cache-control')).toBe('no-store')
		expect((await get('/redirect', { cookie: 'lng=fa; __session=abc' })).headers.get('cache-control')).toBe('no-store')
		expect((await get('/resources/healthcheck', { cookie: 'lng=fa' })).headers.get('cache-control')).toBeNull()
	})
})

describe('client address', () => {
	test('without TRUST_PROXY the socket decides, whatever X-Forwarded-For says', async () => {
		const body = (await (await get('/whoami', { 'x-forwarded-for': '6.6.6.6', 'fly-client-ip': '7.7.7.7' })).json()) as { clientIp: string }
		expect(body.clientIp).toBe('127.0.0.1')
	})
	test('behind one trusted proxy, its X-Forwarded-For entry', async () => {
		const proxied = await listen(app(1))
		const body = (await (await fetch(`${proxied}/whoami`, { headers: { 'x-forwarded-for': '6.6.6.6, 198.51.100.4' } })).json()) as { clientIp: string }
		expect(body.clientIp).toBe('198.51.100.4')
	})
})

describe('/sub guessing (raw client path)', () => {
	test(`after ${SUB_MISS_LIMIT} unknown tokens a minute an address waits; hits never count`, async () => {
		const guarded = await listen(app(1))
		const from = (ip: string, t: string) => fetch(`${guarded}/sub/${t}`, { headers: { 'x-forwarded-for': ip, accept: '*/*' } })
		// A real client polling its own link is never slowed, however often.
		for (let i = 0; i < SUB_MISS_LIMIT * 2; i++) expect((await from('198.51.100.20', token)).status).toBe(200)
		for (let i = 0; i < SUB_MISS_LIMIT; i++) expect((await from('198.51.100.20', randomBytes(24).toString('base64url'))).status).toBe(404)
		const blocked = await from('198.51.100.20', randomBytes(24).toString('base64url'))
		expect(blocked.status).toBe(429)
		const wait = Number(blocked.headers.get('retry-after'))
		expect(wait).toBeGreaterThan(0)
		expect(wait).toBeLessThanOrEqual(60)
		// While blocked, even a right guess learns nothing.
		expect((await from('198.51.100.20', token)).status).toBe(429)
		// Another address is not affected.
		expect((await from('198.51.100.21', token)).status).toBe(200)
	})
})
