// Every console, settings and notification loader/action refuses the wrong role (403) and sends
// anonymous visitors to the login page — checked route by route, before anything is read or written.
import { describe, expect, test } from 'vitest'
import * as jobs from '~/routes/admin+/jobs'
import * as adminNotifications from '~/routes/admin+/notifications'
import * as settings from '~/routes/admin+/settings'
import * as resellerNotifications from '~/routes/reseller+/notifications'
import { prisma } from '~/utils/db.server'
import { loginAs } from '../factories'
import { call, failingJob, get, jobRow, post } from './helpers'

const ADMIN_LOADERS: Array<[string, unknown, string]> = [
	['jobs', jobs.loader, '/admin/jobs'],
	['settings', settings.loader, '/admin/settings'],
	['admin notifications', adminNotifications.loader, '/admin/notifications'],
]
const ADMIN_ACTIONS: Array<[string, unknown, string, Record<string, string>]> = [
	['jobs: retry', jobs.action, '/admin/jobs', { intent: 'retry', jobId: '1' }],
	['jobs: discard', jobs.action, '/admin/jobs', { intent: 'discard', jobId: '1' }],
	['jobs: approve hold', jobs.action, '/admin/jobs', { intent: 'approve_hold', holdId: '1' }],
	['jobs: reject hold', jobs.action, '/admin/jobs', { intent: 'reject_hold', holdId: '1' }],
	['settings: save', settings.action, '/admin/settings', { syncIntervalSec: '120' }],
	['admin notifications: read', adminNotifications.action, '/admin/notifications', { intent: 'read', id: '1' }],
	['admin notifications: read all', adminNotifications.action, '/admin/notifications', { intent: 'read_all' }],
]

describe('admin console authorisation', () => {
	for (const role of ['reseller', 'customer'] as const) {
		test(`${role}: every admin loader and action → 403, nothing changed`, async () => {
			const { cookie } = await loginAs(role)
			const jobId = await failingJob()
			const fields = (f: Record<string, string>) => ('jobId' in f ? { ...f, jobId } : f)
			for (const [name, fn, path] of ADMIN_LOADERS) expect([name, (await call(fn, get(path, cookie))).status]).toEqual([name, 403])
			for (const [name, fn, path, f] of ADMIN_ACTIONS) expect([name, (await call(fn, post(path, fields(f), cookie))).status]).toEqual([name, 403])
			expect((await jobRow(jobId))?.attempts).toBe(1) // neither retried nor discarded
			expect(await prisma.setting.count({ where: { key: 'automation' } })).toBe(0)
		})
	}

	test('anonymous: every admin loader and action → redirect to login', async () => {
		for (const [name, fn, path] of ADMIN_LOADERS) {
			const r = await call(fn, get(path))
			expect([name, r.status, r.location]).toEqual([name, 302, `/login?redirectTo=${encodeURIComponent(path)}`])
		}
		for (const [name, fn, path, f] of ADMIN_ACTIONS) {
			const r = await call(fn, post(path, f))
			expect([name, r.status]).toEqual([name, 302])
			expect(r.location).toMatch(/^\/login\?redirectTo=/)
		}
	})

	test('the reseller feed refuses admins and customers (403) and resellers without a profile (403)', async () => {
		for (const role of ['admin', 'customer', 'reseller'] as const) {
			const { cookie } = await loginAs(role) // a bare reseller login has no reseller profile
			expect([role, (await call(resellerNotifications.loader, get('/reseller/notifications', cookie))).status]).toEqual([role, 403])
			expect([role, (await call(resellerNotifications.action, post('/reseller/notifications', { intent: 'read_all' }, cookie))).status]).toEqual([role, 403])
		}
	})

	test('an admin may open every console page', async () => {
		const { cookie } = await loginAs('admin')
		for (const [name, fn, path] of ADMIN_LOADERS) expect([name, (await call(fn, get(path, cookie))).status]).toEqual([name, 200])
	})
})
