// Who reaches the reports: the admin any export, a reseller only his own (another's is a 404, as
// if it did not exist), nobody else the pages; bad input is a translated 400 and queues nothing.
import { runOnce } from 'graphile-worker'
import { afterAll, describe, expect, test } from 'vitest'
import * as adminDownload from '~/routes/admin+/reports.$id.download'
import * as adminPage from '~/routes/admin+/reports'
import * as resellerDownload from '~/routes/reseller+/reports.$id.download'
import * as resellerPage from '~/routes/reseller+/reports'
import { createSession } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { env } from '~/utils/env.server'
import { taskList } from '../../worker/tasks/index'
import { call, get, post } from '../console/helpers'
import { loginAs } from '../factories'
import { BASE, settle } from '../helpers'
import { removeExportFiles, reportWorld } from './fixtures'

const cookieOf = async (userId: number) => (await createSession(userId, new Request(BASE))).split(';')[0]!
const jobs = async () => Number((await prisma.$queryRaw<Array<{ n: bigint }>>`select count(*) as n from graphile_worker.jobs where task_identifier = 'report_export'`)[0]!.n)

afterAll(removeExportFiles)

describe('reports access', () => {
	test("a reseller downloads his own export; another reseller gets 404; the admin gets any", { timeout: 120_000 }, async () => {
		const w = await reportWorld()
		const r1 = await cookieOf(w.r1.user.id)
		const r2 = await cookieOf(w.r2.user.id)
		const admin = (await loginAs('admin')).cookie

		const queued = await call(resellerPage.action, post('/reseller/reports', { intent: 'export', kind: 'orders', from: '', to: '' }, r1))
		expect(queued.status).toBe(302)
		const mine = await prisma.reportExport.findFirstOrThrow({ where: { resellerId: w.r1.reseller.id }, orderBy: { id: 'desc' } })
		expect(mine.kind).toBe('orders')
		await runOnce({ connectionString: env().DATABASE_URL, taskList })

		const own = await settle(() => resellerDownload.loader({ request: get(`/reseller/reports/${mine.id}/download`, r1), params: { id: String(mine.id) }, context: {} }))
		expect(own.status).toBe(200)
		expect(own.headers.get('Content-Type')).toContain('spreadsheetml')
		expect((await own.arrayBuffer()).byteLength).toBe(Number((await prisma.reportExport.findUniqueOrThrow({ where: { id: mine.id } })).bytes))

		const foreign = await settle(() => resellerDownload.loader({ request: get(`/reseller/reports/${mine.id}/download`, r2), params: { id: String(mine.id) }, context: {} }))
		expect(foreign.status).toBe(404)
		const anyone = await settle(() => adminDownload.loader({ request: get(`/admin/reports/${mine.id}/download`, admin), params: { id: String(mine.id) }, context: {} }))
		expect(anyone.status).toBe(200)
		// his list shows it; the other reseller's does not
		expect((await call(resellerPage.loader, get('/reseller/reports', r1))).data.exports.map((e: { id: number }) => e.id)).toContain(mine.id)
		expect((await call(resellerPage.loader, get('/reseller/reports', r2))).data.exports.map((e: { id: number }) => e.id)).not.toContain(mine.id)
		// a reseller cannot reach the admin's download, nor the admin page
		expect((await settle(() => adminDownload.loader({ request: get(`/admin/reports/${mine.id}/download`, r1), params: { id: String(mine.id) }, context: {} }))).status).toBe(403)
		expect((await call(adminPage.loader, get('/admin/reports', r1))).status).toBe(403)
		const customer = (await loginAs('customer')).cookie
		expect((await call(resellerPage.loader, get('/reseller/reports', customer))).status).toBe(403)
		// an unfinished export is not downloadable either
		const pending = await prisma.reportExport.create({ data: { requestedBy: w.r1.user.id, resellerId: w.r1.reseller.id, kind: 'orders' } })
		expect((await settle(() => resellerDownload.loader({ request: get(`/reseller/reports/${pending.id}/download`, r1), params: { id: String(pending.id) }, context: {} }))).status).toBe(404)
	})

	test('bad filters and kinds are a 400 that queues nothing; the pages render for admin and reseller', { timeout: 120_000 }, async () => {
		const w = await reportWorld()
		const r1 = await cookieOf(w.r1.user.id)
		const admin = (await loginAs('admin')).cookie
		const before = await jobs()
		for (const fields of <Array<Record<string, string>>>[{ intent: 'export', kind: 'invoices' }, { intent: 'export', kind: 'orders', from: '1405/13/01' }, { intent: 'export', kind: 'orders', from: '1405/09/10', to: '1405/09/01' }, { intent: 'export', kind: 'nope' }]) {
			expect((await call(resellerPage.action, post('/reseller/reports', fields, r1))).status).toBe(400)
		}
		expect((await call(adminPage.action, post('/admin/reports', { intent: 'export', kind: 'orders', resellerId: 'x' }, admin))).status).toBe(400)
		expect(await jobs()).toBe(before)
		const page = await call(adminPage.loader, get('/admin/reports?from=۱۴۰۵/۰۱/۰۱', admin))
		expect(page.status).toBe(200)
		expect(page.data.filters.from).toBe('2026-03-21')
		expect(page.data.figures.totals.net).toBeTypeOf('bigint')
		expect((await call(adminPage.loader, get('/admin/reports?from=not-a-date', admin))).status).toBe(400)
		expect((await call(resellerPage.loader, get('/reseller/reports', r1))).status).toBe(200)
	})
})
