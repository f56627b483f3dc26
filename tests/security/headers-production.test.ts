// What changes in production: every cookie is Secure, and /sub pages build their links from
// PUBLIC_URL, never from the Host header a client sends. Plus the /sub guessing bound on the page.
import { randomBytes } from 'node:crypto'
import { beforeAll, describe, expect, test } from 'vitest'
import { contextFor, settle } from '../helpers'

// Before any app module reads the environment (env() caches its first read).
process.env.NODE_ENV = 'production'
process.env.PUBLIC_URL = 'https://hub.example.com/'
process.env.SESSION_SECRET = 'p'.repeat(40)
process.env.MASTER_KEY = Buffer.alloc(32, 3).toString('base64')

const { prisma } = await import('~/utils/db.server')
const { loader: subLoader } = await import('~/routes/sub+/$token')
const { SUB_MISS_LIMIT } = await import('~/services/sub-guard.server')

let token: string
beforeAll(async () => {
	token = randomBytes(24).toString('base64url')
	await prisma.customer.create({ data: { username: 'prod1', dataLimitBytes: 1n << 30n, expireAt: new Date(Date.now() + 86_400_000), subToken: token } })
})

describe('cookies in production', () => {
	test('lng, prefs, toast, session and device cookies are all Secure', async () => {
		const { langCookie } = await import('~/utils/i18n.server')
		const { prefsCookie } = await import('~/utils/preferences.server')
		const { toastCookie } = await import('~/utils/toast.server')
		const { sessionCookie } = await import('~/utils/auth.server')
		const { deviceCookie } = await import('~/utils/throttle.server')
		for (const [name, cookie] of Object.entries({ langCookie, prefsCookie, toastCookie, sessionCookie, deviceCookie })) {
			expect(await cookie.serialize('x'), name).toMatch(/;\s*Secure/i)
		}
	})
})

describe('/sub pages in production', () => {
	const page = (t: string, host: string, ip: string) =>
		settle(() => subLoader({ request: new Request(`http://${host}/sub/${t}`, { headers: { accept: 'text/html', host } }), params: { token: t }, context: contextFor(ip) }))

	test('the link and its QR code use PUBLIC_URL, not the Host header', async () => {
		const data = (await page(token, 'evil.example', '198.51.100.30')) as { subUrl: string }
		expect(data.subUrl).toBe(`https://hub.example.com/sub/${token}`)
	})

	test(`the browser page also answers 429 after ${SUB_MISS_LIMIT} unknown tokens from one address`, async () => {
		for (let i = 0; i < SUB_MISS_LIMIT; i++) expect(((await page(randomBytes(24).toString('base64url'), 'hub.example.com', '198.51.100.31')) as Response).status).toBe(404)
		const blocked = (await page(token, 'hub.example.com', '198.51.100.31')) as Response
		expect(blocked.status).toBe(429)
		expect(Number(blocked.headers.get('Retry-After'))).toBeGreaterThan(0)
		expect(((await page(token, 'hub.example.com', '198.51.100.32')) as { subUrl: string }).subUrl).toContain('/sub/')
	})
})
