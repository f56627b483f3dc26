import { describe, expect, test } from 'vitest'
import { action as loginAction } from '~/routes/_auth+/login'
import { loader as adminLoader } from '~/routes/admin+/_layout'
import { prisma } from '~/utils/db.server'
import { createUser, TEST_PASSWORD } from '../factories'
import { contextFor, cookiesFrom, formRequest, getRequest, settle } from '../helpers'

const call = (fields: Record<string, string>, ip = '203.0.113.7') => settle(() => loginAction({ request: formRequest('/login', fields, { ip }), params: {}, context: contextFor(ip) }))

async function asResponse(result: unknown) {
	// `data()` results carry their status in `init`; redirects are Responses.
	if (result instanceof Response) return { status: result.status, body: null as unknown, response: result }
	const r = result as { data: { result: { error?: Record<string, string[]> } }; init: { status: number } }
	return { status: r.init.status, body: r.data, response: null }
}

describe('login', () => {
	test.each([
		['admin', '/admin'],
		['reseller', '/reseller'],
		['customer', '/account'],
	] as const)('%s lands in %s with a DB session cookie', async (role, area) => {
		const user = await createUser(role)
		const { status, response } = await asResponse(await call({ username: user.username.toUpperCase(), password: TEST_PASSWORD }))
		expect(status).toBe(302)
		expect(response!.headers.get('Location')).toBe(area)
		const setCookie = response!.headers.getSetCookie().find((c) => c.startsWith('__session='))!
		expect(setCookie).toMatch(/HttpOnly/i)
		expect(setCookie).toMatch(/SameSite=Lax/i)
		expect(await prisma.session.count({ where: { userId: user.id } })).toBe(1)
	})

	test('wrong password → 400 with the translated-key message, no session', async () => {
		const user = await createUser('admin')
		const { status, body } = await asResponse(await call({ username: user.username, password: 'nope-nope' }))
		expect(status).toBe(400)
		expect(JSON.stringify(body)).toContain('login.invalid')
		expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0)
	})

	test.each([
		['empty', { username: '', password: '' }, 'errors.required'],
		['10 kB username', { username: 'a'.repeat(10_240), password: 'x' }, 'errors.tooLong'],
		['10 kB password', { username: 'admin', password: 'p'.repeat(10_240) }, 'errors.tooLong'],
		['control characters', { username: 'ad\u0000min\u0007', password: 'x' }, 'errors.controlChars'],
		['SQL-ish', { username: "admin' OR '1'='1' --", password: "' OR 1=1; DROP TABLE users; --" }, 'login.invalid'],
		['missing fields', {}, 'errors.required'],
	])('bad input (%s) → 400 with a message, never 500', async (_name, fields, message) => {
		const before = { users: await prisma.user.count(), sessions: await prisma.session.count() }
		const { status, body } = await asResponse(await call(fields as Record<string, string>))
		expect(status).toBe(400)
		expect(JSON.stringify(body)).toContain(message)
		// nothing written: no user lost (the SQL-ish text did nothing), no session created
		expect({ users: await prisma.user.count(), sessions: await prisma.session.count() }).toEqual(before)
	})

	test('a disabled account cannot log in', async () => {
		const user = await createUser('customer', { status: 'disabled' })
		const { status, body } = await asResponse(await call({ username: user.username, password: TEST_PASSWORD }))
		expect(status).toBe(403)
		expect(JSON.stringify(body)).toContain('login.disabled')
	})

	test('an open redirect is refused; a foreign area falls back to the own area', async () => {
		const user = await createUser('reseller')
		for (const redirectTo of ['//evil.example', 'https://evil.example', '/admin']) {
			const { response } = await asResponse(await call({ username: user.username, password: TEST_PASSWORD, redirectTo }))
			expect(response!.headers.get('Location')).toBe('/reseller')
		}
	})

	test('the session cookie opens the area; a revoked session does not', async () => {
		const user = await createUser('admin')
		const { response } = await asResponse(await call({ username: user.username, password: TEST_PASSWORD }))
		const cookie = cookiesFrom(response!)
		const ok = await adminLoader({ request: getRequest('/admin', cookie), params: {}, context: {} })
		expect((ok as { user: { id: number } }).user.id).toBe(user.id)
		await prisma.session.deleteMany({ where: { userId: user.id } })
		const denied = await settle(() => adminLoader({ request: getRequest('/admin', cookie), params: {}, context: {} }))
		expect((denied as Response).status).toBe(302)
		expect((denied as Response).headers.get('Location')).toMatch(/^\/login\?redirectTo=/)
	})
})
