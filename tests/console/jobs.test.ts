// The jobs console against real graphile-worker jobs: tasks with and without runs, schedules, per
// node sync health and drift, failed jobs retried and discarded, held usage approved and rejected.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { nextCronRun, parseSchedules, TASK_NAMES } from '~/models/jobs-console.server'
import { releaseWorkerUtils } from '~/models/worker-jobs.server'
import * as jobs from '~/routes/admin+/jobs'
import { prisma } from '~/utils/db.server'
import { env } from '~/utils/env.server'
import { quickAddJob } from 'graphile-worker'
import { taskList } from '../../worker/tasks/index'
import { loginAs } from '../factories'
import { call, customerOn, failingJob, get, jobRow, makeNode, post, runJobsSucceeding } from './helpers'

let admin: { cookie: string; user: { id: number } }
beforeAll(async () => {
	admin = await loginAs('admin')
})
afterAll(releaseWorkerUtils)

const page = async (path = '/admin/jobs') => (await call<Awaited<ReturnType<typeof jobs.loader>>>(jobs.loader, get(path, admin.cookie))).data
const act = (fields: Record<string, string>, path = '/admin/jobs') => call(jobs.action, post(path, fields, admin.cookie))

describe('tasks', () => {
	test('every registered task is listed; one without runs shows none, one with runs shows its last run', async () => {
		await prisma.taskRun.createMany({
			data: [
				{ task: 'cleanup_sessions', startedAt: new Date(Date.now() - 120_000), finishedAt: new Date(Date.now() - 119_000), durationMs: 1000, items: 3, failures: 0 },
				{ task: 'cleanup_sessions', startedAt: new Date(Date.now() - 60_000), finishedAt: new Date(Date.now() - 59_500), durationMs: 500, items: 7, failures: 2, error: 'partly failed' },
			],
		})
		const { tasks } = await page()
		expect(tasks.map((t) => t.task).sort()).toEqual(Object.keys(taskList).sort())
		expect([...TASK_NAMES].sort()).toEqual(Object.keys(taskList).sort())
		const cleanup = tasks.find((t) => t.task === 'cleanup_sessions')!
		expect(cleanup.lastRun).toMatchObject({ durationMs: 500, items: 7, failures: 2, error: 'partly failed', finished: true })
		expect(cleanup.schedule).toEqual(['*/15 * * * *'])
		expect(tasks.find((t) => t.task === 'reconcile_customer')!.lastRun).toBeNull()
		expect(tasks.find((t) => t.task === 'reconcile_customer')!.schedule).toEqual([]) // on demand only
	})

	test('next run: the crontab schedule, or an earlier queued job of the task', async () => {
		const before = await page()
		const sync = before.tasks.find((t) => t.task === 'sync_all_nodes')!
		expect(sync.nextRunAt!.getTime() - Date.now()).toBeLessThanOrEqual(60_000) // every minute
		expect(sync.schedule).toEqual(['* * * * *'])
		const runAt = new Date(Date.now() + 5 * 60_000)
		await quickAddJob({ connectionString: env().DATABASE_URL }, 'reconcile_customer', { customerId: 1 }, { runAt, jobKey: 'console-test-next' })
		const reconcile = (await page()).tasks.find((t) => t.task === 'reconcile_customer')!
		expect(reconcile.queued).toBe(1)
		expect(reconcile.nextRunAt!.getTime()).toBe(runAt.getTime())
		await prisma.$executeRaw`select graphile_worker.remove_job('console-test-next')`
	})

	test('cron arithmetic follows graphile-worker (UTC)', () => {
		const [quarter, nightly, monday] = parseSchedules('*/15 * * * * a ?id=a\n30 3 * * * b ?id=b\n0 9 * * 1 c ?id=c')
		expect(quarter!.pattern).toBe('*/15 * * * *')
		expect(nextCronRun(quarter!.match, new Date('2026-01-01T10:07:30Z'))!.toISOString()).toBe('2026-01-01T10:15:00.000Z')
		expect(nextCronRun(quarter!.match, new Date('2026-01-01T10:15:00Z'))!.toISOString()).toBe('2026-01-01T10:30:00.000Z')
		expect(nextCronRun(nightly!.match, new Date('2026-01-01T04:00:00Z'))!.toISOString()).toBe('2026-01-02T03:30:00.000Z')
		expect(nextCronRun(monday!.match, new Date('2026-01-01T00:00:00Z'))!.toISOString()).toBe('2026-01-05T09:00:00.000Z') // 1 Jan 2026 is a Thursday
	})
})

describe('nodes', () => {
	test('last sync, lag, accounts, stale / failing / never, and sub-accounts with drift', async () => {
		const fresh = await makeNode('sync-fresh')
		const stale = await makeNode('sync-stale')
		const failing = await makeNode('sync-failing')
		const never = await makeNode('sync-never')
		await prisma.node.update({ where: { id: fresh.id }, data: { lastSyncAt: new Date(Date.now() - 30_000), lastSyncMs: 120, lastSyncAccounts: 42 } })
		await prisma.node.update({ where: { id: stale.id }, data: { lastSyncAt: new Date(Date.now() - 5 * 60_000), usageStale: true, lastSyncAccounts: 3 } })
		await prisma.node.update({ where: { id: failing.id }, data: { lastSyncAt: new Date(Date.now() - 60 * 60_000), lastSyncError: 'panel timeout' } })
		const a = await customerOn(fresh.id)
		const b = await customerOn(fresh.id)
		await customerOn(fresh.id)
		await prisma.subAccount.updateMany({ where: { id: { in: [a.sub.id, b.sub.id] } }, data: { driftError: 'still enabled on the panel' } })
		const { nodes } = await page()
		const row = (id: number) => nodes.find((n) => n.id === id)!
		expect(row(fresh.id)).toMatchObject({ state: 'fresh', lastSyncAccounts: 42, lastSyncMs: 120, drift: 2 })
		expect(row(fresh.id).lagMs).toBeGreaterThanOrEqual(30_000)
		expect(row(fresh.id).lagMs).toBeLessThan(60_000)
		expect(row(stale.id)).toMatchObject({ state: 'stale', drift: 0 })
		expect(row(failing.id)).toMatchObject({ state: 'failing', lastSyncError: 'panel timeout' })
		expect(row(never.id)).toMatchObject({ state: 'never', lagMs: null, lastSyncAt: null })
		await prisma.node.update({ where: { id: never.id }, data: { deletedAt: new Date() } })
		expect((await page()).nodes.find((n) => n.id === never.id)).toBeUndefined() // soft-deleted nodes leave the console
	})
})

describe('failed jobs', () => {
	test('a job whose task threw is listed with its error; the search narrows by task', async () => {
		const id = await failingJob('console_list_boom', { customerId: 99 })
		const { failed } = await page()
		const row = failed.rows.find((r) => r.id === id)!
		expect(row).toMatchObject({ task: 'console_list_boom', attempts: 1, maxAttempts: 5, locked: false })
		expect(row.lastError).toContain('console_list_boom exploded')
		expect(row.payload).toContain('"customerId":99')
		expect((await page('/admin/jobs?q=list_bo')).failed.rows.map((r) => r.id)).toEqual([id])
		expect((await page('/admin/jobs?q=nothing-like-it')).failed.rows).toEqual([])
	})

	test('retry: attempts reset, runs now, audited; a working worker then completes it', async () => {
		const id = await failingJob('console_retry_boom')
		const failedRow = await jobRow(id)
		expect(failedRow!.attempts).toBe(1)
		expect(failedRow!.run_at.getTime()).toBeGreaterThan(Date.now()) // graphile-worker backs off
		const r = await act({ intent: 'retry', jobId: id }, '/admin/jobs?q=console')
		expect(r).toMatchObject({ status: 302, location: '/admin/jobs?q=console' })
		const retried = await jobRow(id)
		expect(retried!.attempts).toBe(0)
		expect(retried!.run_at.getTime()).toBeLessThanOrEqual(Date.now())
		const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'job.retry', entityId: id } })
		expect(event.actorId).toBe(admin.user.id)
		expect(event.before).toMatchObject({ task: 'console_retry_boom', attempts: 1 })
		await runJobsSucceeding(['console_retry_boom'])
		expect(await jobRow(id)).toBeNull()
	})

	test('discard: the job is gone for good, audited', async () => {
		const id = await failingJob('console_discard_boom')
		expect(await act({ intent: 'discard', jobId: id })).toMatchObject({ status: 302, location: '/admin/jobs' })
		expect(await jobRow(id)).toBeNull()
		expect((await page()).failed.rows.find((r) => r.id === id)).toBeUndefined()
		expect(await prisma.auditEvent.count({ where: { action: 'job.discard', entityId: id } })).toBe(1)
	})

	test('a running (locked) job is neither retried nor discarded; unknown ids are 404; bad forms 400', async () => {
		const id = await failingJob('console_locked_boom')
		await prisma.$executeRaw`update graphile_worker._private_jobs set locked_at = now(), locked_by = 'other-worker' where id = ${id}::bigint`
		expect((await act({ intent: 'retry', jobId: id })).status).toBe(302)
		expect((await act({ intent: 'discard', jobId: id })).status).toBe(302)
		expect(await jobRow(id)).toMatchObject({ attempts: 1 })
		expect(await prisma.auditEvent.count({ where: { entityType: 'job', entityId: id } })).toBe(0)

		expect((await act({ intent: 'retry', jobId: '999999999' })).status).toBe(404)
		expect((await act({ intent: 'discard', jobId: '999999999' })).status).toBe(404)
		const queued = await quickAddJob({ connectionString: env().DATABASE_URL }, 'console_never_failed', {}) // not failed: not the console's to touch
		expect((await act({ intent: 'discard', jobId: queued.id })).status).toBe(404)
		expect(await jobRow(queued.id)).not.toBeNull()
		const bad: Array<Record<string, string>> = [{ intent: 'retry', jobId: 'abc' }, { intent: 'explode', jobId: id }, { intent: 'retry' }, { intent: 'approve_hold', holdId: '-1' }]
		for (const fields of bad) {
			expect([fields, (await act(fields)).status]).toEqual([fields, 400])
		}
	})
})

describe('held usage', () => {
	async function hold(delta: bigint) {
		const node = await makeNode(`hold-${Date.now()}`)
		const { customer, sub } = await customerOn(node.id)
		const h = await prisma.usageHold.create({ data: { subAccountId: sub.id, customerId: customer.id, nodeId: node.id, counterBefore: 1024n, counterAfter: 1024n + delta, delta } })
		return { h, customer, node }
	}

	test('pending holds are listed with customer, node, counters and delta', async () => {
		const { h, customer, node } = await hold(600n * 1024n ** 3n)
		const { holds } = await page()
		expect(holds.rows.find((r) => r.id === h.id)).toMatchObject({ customer: customer.username, nodeName: node.name, counterBefore: 1024n, delta: 600n * 1024n ** 3n })
		expect(holds.total).toBeGreaterThanOrEqual(1)
	})

	test('approve counts the jump once through the holds service; a second decision changes nothing', async () => {
		const delta = 700n * 1024n ** 3n
		const { h, customer } = await hold(delta)
		expect((await act({ intent: 'approve_hold', holdId: String(h.id) })).status).toBe(302)
		expect(await prisma.usageHold.findUniqueOrThrow({ where: { id: h.id } })).toMatchObject({ status: 'approved', decidedBy: admin.user.id })
		expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).usedBytes).toBe(delta)
		expect(await prisma.auditEvent.count({ where: { action: 'usage_hold.approve', entityId: String(h.id) } })).toBe(1)
		expect((await act({ intent: 'reject_hold', holdId: String(h.id) })).status).toBe(302) // "already decided"
		expect((await act({ intent: 'approve_hold', holdId: String(h.id) })).status).toBe(302)
		expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).usedBytes).toBe(delta)
		expect((await page()).holds.rows.find((r) => r.id === h.id)).toBeUndefined()
	})

	test('reject records the decision and counts nothing; an unknown hold is 404', async () => {
		const { h, customer } = await hold(800n * 1024n ** 3n)
		expect((await act({ intent: 'reject_hold', holdId: String(h.id) })).status).toBe(302)
		expect((await prisma.usageHold.findUniqueOrThrow({ where: { id: h.id } })).status).toBe('rejected')
		expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).usedBytes).toBe(0n)
		expect((await act({ intent: 'approve_hold', holdId: '99999999' })).status).toBe(404)
	})
})
