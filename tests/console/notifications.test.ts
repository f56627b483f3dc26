// Notification feeds: a reseller sees only his own (tenant scope in the where), a foreign id is a
// 404 that changes nothing, mark one / all read, keyset pages, and the unread badge of the layouts.
import { beforeAll, describe, expect, test } from 'vitest'
import * as adminLayout from '~/routes/admin+/_layout'
import * as adminFeed from '~/routes/admin+/notifications'
import * as resellerLayout from '~/routes/reseller+/_layout'
import * as feed from '~/routes/reseller+/notifications'
import { prisma } from '~/utils/db.server'
import { loginAs } from '../factories'
import { call, get, post } from './helpers'

async function resellerLogin() {
	const { user, cookie } = await loginAs('reseller')
	const reseller = await prisma.reseller.create({ data: { userId: user.id, name: user.username } })
	return { reseller, cookie }
}

let seq = 0
function notify(audience: 'admin' | 'reseller', resellerId: number | null, kind = 'expiring', data: object = { username: 'ali', expireAt: '2026-05-01T00:00:00.000Z' }) {
	return prisma.notification.create({ data: { audience, resellerId, kind, data, dedupeKey: `console-test:${++seq}` } })
}

let a: Awaited<ReturnType<typeof resellerLogin>>
let b: Awaited<ReturnType<typeof resellerLogin>>
let admin: { cookie: string }
beforeAll(async () => {
	a = await resellerLogin()
	b = await resellerLogin()
	admin = await loginAs('admin')
})

const feedOf = async (cookie: string, query = '') => (await call(feed.loader, get(`/reseller/notifications${query}`, cookie))).data
const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id)

describe('reseller notifications', () => {
	test('each reseller sees only his own, newest first; the admin feed only the admins’', async () => {
		const a1 = await notify('reseller', a.reseller.id)
		const b1 = await notify('reseller', b.reseller.id)
		const a2 = await notify('reseller', a.reseller.id, 'usage_threshold', { username: 'reza', percent: 80 })
		const ad = await notify('admin', null, 'node_unreachable', { nodeName: 'DE-1', error: 'timeout' })
		const orphan = await notify('reseller', null) // addressed to nobody
		const pageA = await feedOf(a.cookie)
		expect(ids(pageA.rows)).toEqual([String(a2.id), String(a1.id)])
		expect(pageA.unread).toBe(2)
		expect(ids((await feedOf(b.cookie)).rows)).toEqual([String(b1.id)])
		const adminPage = (await call(adminFeed.loader, get('/admin/notifications', admin.cookie))).data
		expect(ids(adminPage.rows)).toEqual([String(ad.id)])
		expect(ids(adminPage.rows)).not.toContain(String(orphan.id))
		expect(pageA.rows[0].data).toEqual({ username: 'reza', percent: 80 })
	})

	test('marking another reseller’s notification is a 404 and changes nothing', async () => {
		const foreign = await notify('reseller', b.reseller.id)
		const adminOnly = await notify('admin', null)
		for (const id of [foreign.id, adminOnly.id, 99_999_999n]) {
			expect((await call(feed.action, post('/reseller/notifications', { intent: 'read', id: String(id) }, a.cookie))).status).toBe(404)
		}
		expect((await prisma.notification.findUniqueOrThrow({ where: { id: foreign.id } })).readAt).toBeNull()
		expect((await prisma.notification.findUniqueOrThrow({ where: { id: adminOnly.id } })).readAt).toBeNull()
	})

	test('mark one read, then all read — only his own; the layout badge follows', async () => {
		const badge = async () => (await call(resellerLayout.loader, get('/reseller', a.cookie))).data.unread
		const before = await badge()
		expect(before).toBe((await feedOf(a.cookie)).unread)
		const mine = await notify('reseller', a.reseller.id)
		expect(await badge()).toBe(before + 1)
		const r = await call(feed.action, post('/reseller/notifications?unread=1', { intent: 'read', id: String(mine.id) }, a.cookie))
		expect(r).toMatchObject({ status: 302, location: '/reseller/notifications?unread=1' })
		expect((await prisma.notification.findUniqueOrThrow({ where: { id: mine.id } })).readAt).not.toBeNull()
		expect(await badge()).toBe(before)
		expect((await call(feed.action, post('/reseller/notifications', { intent: 'read', id: String(mine.id) }, a.cookie))).status).toBe(302) // again: harmless

		const bUnread = await prisma.notification.count({ where: { resellerId: b.reseller.id, readAt: null } })
		const adminUnread = await prisma.notification.count({ where: { audience: 'admin', readAt: null } })
		expect((await call(feed.action, post('/reseller/notifications', { intent: 'read_all' }, a.cookie))).status).toBe(302)
		expect(await badge()).toBe(0)
		expect(ids((await feedOf(a.cookie, '?unread=1')).rows)).toEqual([])
		expect(await prisma.notification.count({ where: { resellerId: b.reseller.id, readAt: null } })).toBe(bUnread)
		expect(await prisma.notification.count({ where: { audience: 'admin', readAt: null } })).toBe(adminUnread)
		expect((await call(feed.action, post('/reseller/notifications', { intent: 'nope' }, a.cookie))).status).toBe(400)
	})

	test('keyset pages: 25 a page, no overlap, nothing skipped', async () => {
		const { reseller, cookie } = await resellerLogin()
		const made = []
		for (let i = 0; i < 30; i++) made.push(await notify('reseller', reseller.id, 'pool_low', { remainingBytes: String(i * 1024 ** 3) }))
		const first = await feedOf(cookie)
		expect(first.rows).toHaveLength(25)
		expect(first.nextCursor).toBe(first.rows[24].id)
		const second = await feedOf(cookie, `?after=${first.nextCursor}`)
		expect(second.nextCursor).toBeNull()
		expect([...ids(first.rows), ...ids(second.rows)]).toEqual(made.map((n) => String(n.id)).reverse())
	})
})

describe('admin notifications', () => {
	test('read one and read all; the admin layout badge counts the admin feed only', async () => {
		const badge = async () => (await call(adminLayout.loader, get('/admin', admin.cookie))).data.unread
		await call(adminFeed.action, post('/admin/notifications', { intent: 'read_all' }, admin.cookie))
		expect(await badge()).toBe(0)
		const one = await notify('admin', null, 'job_failing', { task: 'sync_node_usage', failures: 3, error: 'boom' })
		await notify('admin', null, 'some_future_kind', { anything: 1 })
		await notify('reseller', a.reseller.id)
		expect(await badge()).toBe(2)
		expect((await call(adminFeed.action, post('/admin/notifications', { intent: 'read', id: String(one.id) }, admin.cookie))).status).toBe(302)
		expect(await badge()).toBe(1)
		const mineOfA = await notify('reseller', a.reseller.id)
		expect((await call(adminFeed.action, post('/admin/notifications', { intent: 'read', id: String(mineOfA.id) }, admin.cookie))).status).toBe(404)
		await call(adminFeed.action, post('/admin/notifications', { intent: 'read_all' }, admin.cookie))
		expect(await badge()).toBe(0)
		expect((await prisma.notification.findUniqueOrThrow({ where: { id: mineOfA.id } })).readAt).toBeNull()
	})
})

describe('notification texts', () => {
	test('every kind notify() writes today has a text in both languages; values are formatted for the reader', async () => {
		const { resources } = await import('~/utils/i18n')
		const { notificationLink, notificationValues } = await import('~/components/notifications')
		const kinds = ['expiring', 'usage_threshold', 'node_unreachable', 'job_failing', 'pool_low', 'pool_exhausted', 'pool_window_over', 'balance_negative', 'credit_disabled', 'drift']
		for (const lang of ['en', 'fa'] as const) {
			const texts = resources[lang].common.automation.notifications as Record<string, string>
			for (const kind of kinds) expect([lang, kind, typeof texts[kind]]).toEqual([lang, kind, 'string'])
		}
		const values = notificationValues('en', { usedBytes: String(3 * 1024 ** 3), balance: '-1250', currency: 'USD', expireAt: '2026-03-21T12:00:00Z', percent: 80, username: 'ali' })
		expect(values).toEqual({ usedBytes: '3 GB', balance: expect.stringMatching(/12\.50/), currency: 'USD', expireAt: expect.stringContaining('21 Mar 2026'), percent: '80', username: 'ali' })
		expect(notificationValues('fa', { percent: 80 }).percent).toBe('۸۰')
		expect(notificationLink('reseller', 'usage_threshold', { customerId: 12 })).toBe('/reseller/customers/12')
		expect(notificationLink('reseller', 'pool_low', {})).toBe('/reseller/wallet')
		expect(notificationLink('admin', 'node_unreachable', { nodeId: 3 })).toBe('/admin/nodes/3')
		expect(notificationLink('admin', 'drift', { nodeId: 3, customerId: 4 })).toBe('/admin/jobs')
	})
})
