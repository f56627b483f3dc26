// End-user accounts through the real routes: /register (good, duplicate, bad phone, Persian
// digits), login as the new user, the profile page, and the admin's disable switch.
import { describe, expect, test } from 'vitest'
import { normalizeIranMobile } from '~/models/end-user-form'
import * as register from '~/routes/_auth+/register'
import * as login from '~/routes/_auth+/login'
import * as profile from '~/routes/account+/profile'
import * as users from '~/routes/admin+/users'
import { getUser } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { verifyPassword } from '~/utils/password.server'
import { act, load } from '../billing-admin/helpers'
import { createUser, loginAs, TEST_PASSWORD } from '../factories'
import { contextFor, cookiesFrom, formRequest, settle } from '../helpers'

const PASSWORD = 'a-long-enough-pass'
let n = 0
const fresh = () => `shopper${++n}_${Date.now() % 100000}`

async function signUp(fields: Record<string, string>) {
	const res = await settle(() => register.action({ request: formRequest('/register', { password: PASSWORD, confirm: PASSWORD, ...fields }), params: {}, context: contextFor() }))
	if (res instanceof Response) return { status: res.status, location: res.headers.get('Location'), cookie: cookiesFrom(res), body: '' }
	const r = res as unknown as { init: { status: number }; data: unknown }
	return { status: r.init.status, location: null, cookie: '', body: JSON.stringify(r.data) }
}

describe('register', () => {
	test('a new end user gets a customer login, a session and lands in /account', async () => {
		const username = fresh()
		const r = await signUp({ username, phone: '0912 345 6789', email: 'Shopper@Example.COM' })
		expect(r.status).toBe(302)
		expect(r.location).toBe('/account')
		const user = await prisma.user.findUniqueOrThrow({ where: { username } })
		expect(user).toMatchObject({ role: 'customer', status: 'active', phone: '+989123456789', email: 'shopper@example.com' })
		expect(await verifyPassword(user.passwordHash, PASSWORD)).toBe(true)
		// The cookie is a real session of that user.
		const session = await getUser(new Request('http://localhost/account', { headers: { Cookie: r.cookie } }))
		expect(session).toMatchObject({ id: user.id, role: 'customer' })
		expect(await prisma.auditEvent.count({ where: { action: 'user.register', entityId: String(user.id) } })).toBe(1)
	})

	test('Persian digits in the phone and username are folded', async () => {
		const username = `fa${Date.now() % 100000}۱۲`
		const r = await signUp({ username, phone: '۰۹۳۵۱۲۳۴۵۶۷' })
		expect(r.status).toBe(302)
		const user = await prisma.user.findFirstOrThrow({ where: { phone: '+989351234567' } })
		expect(user.username).toBe(username.replace('۱۲', '12'))
	})

	test('phone and email are optional; redirectTo back to a plan is kept, elsewhere is not', async () => {
		const r = await signUp({ username: fresh(), redirectTo: '/store/checkout/7' })
		expect(r.location).toBe('/store/checkout/7')
		const away = await signUp({ username: fresh(), redirectTo: '/admin' })
		expect(away.location).toBe('/account')
	})

	test('duplicate username, phone or email → 400 with a translated key, nothing written', async () => {
		const username = fresh()
		expect((await signUp({ username, phone: '09121112233', email: 'dup@example.com' })).status).toBe(302)
		const before = await prisma.user.count()
		for (const [fields, key] of [
			[{ username: username.toUpperCase() }, 'register.errors.usernameTaken'],
			[{ username: fresh(), phone: '+98 912 111 2233' }, 'register.errors.phoneTaken'],
			[{ username: fresh(), email: 'DUP@example.com' }, 'register.errors.emailTaken'],
		] as const) {
			const r = await signUp(fields)
			expect(r.status).toBe(400)
			expect(r.body).toContain(key)
		}
		expect(await prisma.user.count()).toBe(before)
	})

	test('two registrations of one username at once: exactly one wins, the other gets the field error', async () => {
		const username = fresh()
		const results = await Promise.all([signUp({ username }), signUp({ username })])
		expect(results.map((r) => r.status).sort()).toEqual([302, 400])
		expect(results.find((r) => r.status === 400)!.body).toContain('register.errors.usernameTaken')
		expect(await prisma.user.count({ where: { username } })).toBe(1)
	})

	test.each([
		['landline', { phone: '02112345678' }, 'register.errors.phone'],
		['too short', { phone: '0912123' }, 'register.errors.phone'],
		['letters', { phone: '09abc123456' }, 'register.errors.phone'],
		['foreign mobile', { phone: '+447911123456' }, 'register.errors.phone'],
		['bad email', { email: 'not-an-email' }, 'register.errors.email'],
		['short password', { password: 'short', confirm: 'short' }, 'password.tooShort'],
		['mismatch', { confirm: 'something-else-entirely' }, 'password.mismatch'],
		['bad username', { username: 'علی' }, 'register.errors.username'],
		['missing username', { username: '' }, 'errors.required'],
		['10 kB email', { email: 'x'.repeat(10_240) }, 'errors.tooLong'],
	] as const)('bad input: %s → 400 %s', async (_name, patch, key) => {
		const before = await prisma.user.count()
		const r = await signUp({ username: fresh(), ...patch })
		expect(r.status).toBe(400)
		expect(r.body).toContain(key)
		expect(await prisma.user.count()).toBe(before)
	})

	test('Iranian mobile spellings normalise to one form', () => {
		for (const v of ['09123456789', '9123456789', '+989123456789', '00989123456789', '989123456789', '0912-345-6789', '۰۹۱۲۳۴۵۶۷۸۹', '٠٩١٢٣٤٥٦٧٨٩']) expect(normalizeIranMobile(v)).toBe('+989123456789')
		for (const v of ['0812345678', '091234567890', '+19123456789', '']) expect(normalizeIranMobile(v)).toBeNull()
	})

	test('a signed-in user is sent to his area instead of the form', async () => {
		const { cookie } = await loginAs('customer')
		const r = await load(register, '/register', cookie)
		expect((r as Response).status).toBe(302)
		expect((r as Response).headers.get('Location')).toBe('/account')
	})
})

describe('login and profile of an end user', () => {
	test('the registered user logs in and may return to a store page', async () => {
		const username = fresh()
		await signUp({ username })
		const res = await settle(() => login.action({ request: formRequest('/login', { username, password: PASSWORD, redirectTo: '/store/checkout/3' }), params: {}, context: contextFor('203.0.113.50') }))
		expect((res as Response).status).toBe(302)
		expect((res as Response).headers.get('Location')).toBe('/store/checkout/3')
	})

	test('profile saves billing name and address; a taken phone is a field error', async () => {
		const other = fresh()
		await signUp({ username: other, phone: '09199998877' })
		const { user, cookie } = await loginAs('customer')
		const ok = await act(profile, '/account/profile', { intent: 'save', displayName: 'Ali', billingName: 'علی رضایی', billingAddress: 'تهران، خیابان آزادی', phone: '۰۹۱۰۰۰۰۰۰۰۱', email: '' }, cookie)
		expect(ok.status).toBe(302)
		expect(await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ displayName: 'Ali', billingName: 'علی رضایی', billingAddress: 'تهران، خیابان آزادی', phone: '+989100000001', email: null })
		const taken = await act(profile, '/account/profile', { intent: 'save', phone: '09199998877' }, cookie)
		expect(taken.status).toBe(400)
		expect(taken.body).toContain('register.errors.phoneTaken')
		const bad = await act(profile, '/account/profile', { intent: 'save', phone: '123' }, cookie)
		expect(bad.status).toBe(400)
		expect(bad.body).toContain('register.errors.phone')
		expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).phone).toBe('+989100000001')
		// only customers have this page
		const reseller = await loginAs('reseller')
		expect(((await load(profile, '/account/profile', reseller.cookie)) as Response).status).toBe(403)
	})
})

describe('the admin disables a user', () => {
	test('disable ends his sessions and refuses his login; enable lets him back', async () => {
		const admin = await loginAs('admin')
		const { user, cookie } = await loginAs('customer')
		const r = await act(users, '/admin/users', { intent: 'disable', userId: String(user.id) }, admin.cookie)
		expect(r.status).toBe(302)
		expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).status).toBe('disabled')
		expect(await getUser(new Request('http://localhost/account', { headers: { Cookie: cookie } }))).toBeNull()
		expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0)
		const refused = await settle(() => login.action({ request: formRequest('/login', { username: user.username, password: TEST_PASSWORD }), params: {}, context: contextFor('203.0.113.51') }))
		expect((refused as unknown as { init: { status: number } }).init.status).toBe(403)
		expect(await prisma.auditEvent.count({ where: { action: 'user.disable', entityId: String(user.id) } })).toBe(1)

		expect((await act(users, '/admin/users', { intent: 'enable', userId: String(user.id) }, admin.cookie)).status).toBe(302)
		expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).status).toBe('active')
	})

	test('bad input is a 400; an admin cannot disable himself; others cannot use it', async () => {
		const admin = await loginAs('admin')
		expect((await act(users, '/admin/users', { intent: 'explode', userId: '1' }, admin.cookie)).status).toBe(400)
		expect((await act(users, '/admin/users', { intent: 'disable', userId: 'abc' }, admin.cookie)).status).toBe(400)
		await act(users, '/admin/users', { intent: 'disable', userId: String(admin.user.id) }, admin.cookie)
		expect((await prisma.user.findUniqueOrThrow({ where: { id: admin.user.id } })).status).toBe('active')
		const victim = await createUser('customer')
		const reseller = await loginAs('reseller')
		expect((await act(users, '/admin/users', { intent: 'disable', userId: String(victim.id) }, reseller.cookie)).status).toBe(403)
		expect((await prisma.user.findUniqueOrThrow({ where: { id: victim.id } })).status).toBe('active')
	})
})
