// A report export whose worker is killed mid-file (SIGKILL, OOM, a restart): graphile-worker
// unlocks its job once the worker is declared dead (resetLockedAt) and runs it again, and the
// export finishes; a job whose last attempt died ends its row "failed" with a translated reason
// on the reports page, instead of "running" forever.
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { run, runOnce } from 'graphile-worker'
import { createInstance } from 'i18next'
import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { I18nextProvider, initReactI18next } from 'react-i18next'
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server'
import { afterAll, describe, expect, test } from 'vitest'
import * as adminPage from '~/routes/admin+/reports'
import { WORKER_LOST } from '~/services/reports/abandoned.server'
import { requestExport } from '~/services/reports/export.server'
import { prisma } from '~/utils/db.server'
import { env } from '~/utils/env.server'
import { i18nOptions, type Lang } from '~/utils/i18n'
import { getT } from '~/utils/i18n.server'
import { taskList } from '../../worker/tasks/index'
import { retention_cleanup } from '../../worker/tasks/retention_cleanup'
import { loginAs } from '../factories'
import { removeExportFiles } from './fixtures'

afterAll(removeExportFiles)

/**
 * What a worker killed mid-export leaves behind: its job taken (attempt counted, job and queue
 * locked by a worker that is gone, long enough ago to be declared dead), the row "running" with
 * part of its rows. (Its half-written `.part` is a stray for retention_cleanup, tests/retention.)
 */
async function killMidExport(exportId: number, opts: { lastAttempt?: boolean } = {}) {
	const key = `report_export:${exportId}`
	await prisma.$executeRawUnsafe(
		`update graphile_worker._private_jobs set attempts = ${opts.lastAttempt ? 'max_attempts' : 'attempts + 1'}, locked_at = now() - interval '5 hours', locked_by = 'killed-worker' where key = $1`,
		key,
	)
	await prisma.$executeRaw`update graphile_worker._private_job_queues set locked_at = now() - interval '5 hours', locked_by = 'killed-worker' where queue_name = 'reports'`
	await prisma.reportExport.update({ where: { id: exportId }, data: { status: 'running', startedAt: new Date(Date.now() - 5 * 3_600_000), rowsTotal: 5000, rowsDone: 2000, batches: 1 } })
}

/**
 * Hours later: a worker pool resets the dead worker's locks (graphile-worker's own resetLockedAt,
 * its interval shortened; the pool knows no task, so it runs nothing), then a worker makes one
 * pass over the queue.
 */
async function workerComesBack() {
	const runner = await run({ connectionString: env().DATABASE_URL, taskList: { noop: async () => {} }, noHandleSignals: true, minResetLockedInterval: 1, maxResetLockedInterval: 2 })
	await once(runner.events, 'resetLocked:success')
	await runner.stop()
	await runOnce({ connectionString: env().DATABASE_URL, taskList })
}

/** The admin's reports page as the server renders it, in `lang`: its text, without scripts. */
async function pageText(cookie: string, lang: Lang) {
	const i18n = createInstance()
	await i18n.use(initReactI18next).init({ ...i18nOptions, lng: lang })
	const handler = createStaticHandler([{ id: 'page', path: '/admin/reports', loader: ({ request }) => adminPage.loader({ request, params: {}, context: {} }), Component: adminPage.default }])
	const ctx = await handler.query(new Request('http://hub.test/admin/reports', { headers: { cookie } }))
	if (ctx instanceof Response) throw new Error(`unexpected response ${ctx.status}`)
	const html = renderToString(createElement(I18nextProvider, { i18n }, createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, ctx), context: ctx, hydrate: false })))
	return html.replace(/<script[^]*?<\/script>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
}

async function listed(cookie: string, id: number) {
	const res = (await adminPage.loader({ request: new Request('http://hub.test/admin/reports', { headers: { cookie } }), params: {}, context: {} })) as unknown as { data: { exports: Array<{ id: number; status: string; reason: string | null }> } }
	return res.data.exports.find((e) => e.id === id)
}

describe('an export whose worker was killed', () => {
	test('is run again once the dead worker\'s lock is reset, and finishes', async () => {
		const admin = await loginAs('admin')
		const row = await requestExport({ requestedBy: admin.user.id, resellerId: null, kind: 'orders', filters: {}, lang: 'fa' })
		await killMidExport(row.id)
		await workerComesBack()
		const done = await prisma.reportExport.findUniqueOrThrow({ where: { id: row.id } })
		expect(done.status).toBe('done')
		expect(done.error).toBeNull()
		expect(done.rowsDone).toBe(done.rowsTotal) // the retry started over, its progress is its own
		expect(existsSync(done.file!)).toBe(true)
		expect(await prisma.$queryRaw<unknown[]>`select 1 from graphile_worker.jobs where key = ${`report_export:${row.id}`}`).toEqual([])
	})

	test('on its last attempt ends "failed" with a translated reason on the page', async () => {
		const admin = await loginAs('admin')
		const row = await requestExport({ requestedBy: admin.user.id, resellerId: null, kind: 'orders', filters: {}, lang: 'en' })
		await killMidExport(row.id, { lastAttempt: true })
		await workerComesBack()
		// graphile-worker will not run a spent job again: before the fix the row stayed "running" here
		expect(await listed(admin.cookie, row.id)).toMatchObject({ status: 'failed', reason: WORKER_LOST })
		const failed = await prisma.reportExport.findUniqueOrThrow({ where: { id: row.id } })
		expect(failed).toMatchObject({ status: 'failed', error: WORKER_LOST })
		expect(failed.finishedAt).not.toBeNull()
		for (const lang of ['en', 'fa'] as const) {
			const t = await getT(lang)
			expect(t(WORKER_LOST)).not.toBe(WORKER_LOST)
			const shown = await pageText(admin.cookie, lang)
			expect(shown).toContain(t('reports.exports.status.failed'))
			expect(shown).toContain(t(WORKER_LOST))
		}
	})

	test('an export still being written (its job locked) is left alone', async () => {
		const admin = await loginAs('admin')
		const row = await requestExport({ requestedBy: admin.user.id, resellerId: null, kind: 'orders', filters: {}, lang: 'en' })
		await prisma.$executeRaw`update graphile_worker._private_jobs set attempts = max_attempts, locked_at = now(), locked_by = 'live-worker' where key = ${`report_export:${row.id}`}`
		await prisma.reportExport.update({ where: { id: row.id }, data: { status: 'running' } })
		expect(await listed(admin.cookie, row.id)).toMatchObject({ status: 'running', reason: null })
		await prisma.$executeRaw`delete from graphile_worker._private_jobs where key = ${`report_export:${row.id}`}`
		await prisma.reportExport.delete({ where: { id: row.id } })
	})

	test('the daily retention_cleanup fails one nobody looks at, e.g. its job deleted from the jobs console', async () => {
		const admin = await loginAs('admin')
		const row = await requestExport({ requestedBy: admin.user.id, resellerId: null, kind: 'orders', filters: {}, lang: 'en' })
		await prisma.$executeRaw`delete from graphile_worker._private_jobs where key = ${`report_export:${row.id}`}`
		const logged: string[] = []
		await retention_cleanup({}, { logger: { info: (m: string) => logged.push(m) } } as unknown as Parameters<typeof retention_cleanup>[1])
		expect(await prisma.reportExport.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: 'failed', error: WORKER_LOST })
		expect(logged.join()).toContain('1 abandoned exports failed')
	})
})
