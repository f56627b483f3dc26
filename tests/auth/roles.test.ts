// Every area's loaders refuse the other roles (403) and anonymous visitors (redirect to login).
import { describe, expect, test } from 'vitest'
import * as accountIndex from '~/routes/account+/index'
import * as accountLayout from '~/routes/account+/_layout'
import * as adminIndex from '~/routes/admin+/index'
import * as adminUsers from '~/routes/admin+/users'
import * as adminLayout from '~/routes/admin+/_layout'
import * as resellerIndex from '~/routes/reseller+/index'
import * as resellerLayout from '~/routes/reseller+/_layout'
import * as password from '~/routes/_auth+/password'
import { action as logoutAction } from '~/routes/_auth+/logout'
import { prisma } from '~/utils/db.server'
import { createUser, loginAs } from '../factories'
import { formRequest, getRequest, settle } from '../helpers'

type Loader = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>
const AREAS: Array<{ role: 'admin' | 'reseller' | 'customer'; path: string; loaders: Loader[] }> = [
	{ role: 'admin', path: '/admin', loaders: [adminLayout.loader, adminIndex.loader, adminUsers.loader] },
	{ role: 'reseller', path: '/reseller', loaders: [resellerLayout.loader, resellerIndex.loader] },
	{ role: 'customer', path: '/account', loaders: [accountLayout.loader, accountIndex.loader] },
]

describe('area authorisation', () => {
	for (const area of AREAS) {
		for (const other of ['admin', 'reseller', 'customer'] as const) {
			test(`${other} → ${area.path}: ${other === area.role ? 'allowed' : '403'}`, async () => {
				const { cookie } = await loginAs(other)
				for (const loader of area.loaders) {
					const result = await settle(() => loader({ request: getRequest(area.path, cookie), params: {}, context: {} }))
					if (other === area.role) expect(result).not.toBeInstanceOf(Response)
					else expect((result as Response).status).toBe(403)
				}
			})
		}
		test(`anonymous → ${area.path}: redirect to login`, async () => {
			for (const loader of area.loaders) {
				const result = (await settle(() => loader({ request: getRequest(area.path), params: {}, context: {} }))) as Response
				expect(result.status).toBe(302)
				expect(result.headers.get('Location')).toBe(`/login?redirectTo=${encodeURIComponent(area.path)}`)
			}
		})
	}

	test('the admin dashboard shows the real counts', async () => {
		const { cookie } = await loginAs('admin')
		type Figures = Awaited<ReturnType<typeof adminIndex.loader>>
		const load = async () => (await adminIndex.loader({ request: getRequest('/admin', cookie), params: {}, context: {} })) as Figures
		const before = await load()
		await loginAs('reseller')
		await loginAs('reseller')
		await loginAs('customer')
		// "customers" are service accounts (issue 12), not end-user logins: one store customer here
		await prisma.customer.create({ data: { resellerId: null, username: 'dash_store_1', dataLimitBytes: 1n, expireAt: new Date(Date.now() + 86_400_000), subToken: 'tok_dashboard_count_test_0001' } })
		const after = await load()
		expect(after.resellers).toBe(await prisma.user.count({ where: { role: 'reseller' } }))
		expect(after.resellers - before.resellers).toBe(2)
		expect(after.customers - before.customers).toBe(1)
		expect(after.customers).toBe(await prisma.customer.count({ where: { status: { not: 'deleted' } } }))
		expect(after.sessions - before.sessions).toBe(3)
	})

	test('admin user list pages with a keyset cursor and searches', async () => {
		const { cookie } = await loginAs('admin')
		for (let i = 0; i < 31; i++) await createUser('customer', { username: `pager_${String(i).padStart(2, '0')}` })
		const first = (await adminUsers.loader({ request: getRequest('/admin/users?q=pager_', cookie), params: {}, context: {} })) as Awaited<ReturnType<typeof adminUsers.loader>>
		expect(first.rows).toHaveLength(25)
		expect(first.nextCursor).not.toBeNull()
		const second = (await adminUsers.loader({ request: getRequest(`/admin/users?q=pager_&after=${first.nextCursor}`, cookie), params: {}, context: {} })) as Awaited<ReturnType<typeof adminUsers.loader>>
		expect(second.rows).toHaveLength(6)
		expect(second.nextCursor).toBeNull()
		const ids = new Set([...first.rows, ...second.rows].map((r) => r.id))
		expect(ids.size).toBe(31)
		expect(first.rows[0]!.username).toBe('pager_30') // newest first
		const searched = (await adminUsers.loader({ request: getRequest('/admin/users?q=PAGER_0', cookie), params: {}, context: {} })) as Awaited<ReturnType<typeof adminUsers.loader>>
		expect(searched.rows.map((r) => r.username).sort()).toEqual(['pager_00', 'pager_01', 'pager_02', 'pager_03', 'pager_04', 'pager_05', 'pager_06', 'pager_07', 'pager_08', 'pager_09'])
	})
})

describe('logout and password change', () => {
	test('logout deletes the session', async () => {
		const { user, cookie } = await loginAs('reseller')
		const res = (await logoutAction({ request: formRequest('/logout', {}, { cookie }), params: {}, context: {} })) as Response
		expect(res.status).toBe(302)
		expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0)
	})

	test('change password: wrong current → 400; success revokes the other sessions only', async () => {
		const { user, cookie } = await loginAs('customer')
		const other = await loginAs('customer') // unrelated user keeps his session
		await prisma.session.create({ data: { id: 'x'.repeat(64), userId: user.id, expiresAt: new Date(Date.now() + 60_000) } })
		const bad = (await password.action({ request: formRequest('/password', { current: 'wrong', password: 'new-password-123', confirm: 'new-password-123' }, { cookie }), params: {}, context: {} })) as { init: { status: number } }
		expect(bad.init.status).toBe(400)
		const mismatch = (await password.action({ request: formRequest('/password', { current: 'correct-horse-battery', password: 'new-password-123', confirm: 'different-123' }, { cookie }), params: {}, context: {} })) as { init: { status: number }; data: unknown }
		expect(mismatch.init.status).toBe(400)
		expect(JSON.stringify(mismatch.data)).toContain('password.mismatch')
		const ok = (await password.action({ request: formRequest('/password', { current: 'correct-horse-battery', password: 'new-password-123', confirm: 'new-password-123' }, { cookie }), params: {}, context: {} })) as Response
		expect(ok.status).toBe(302)
		expect(await prisma.session.count({ where: { userId: user.id } })).toBe(1)
		expect(await prisma.session.count({ where: { userId: other.user.id } })).toBe(1)
	})
})
