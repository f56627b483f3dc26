import { quickAddJob, runOnce } from 'graphile-worker'
import { describe, expect, test } from 'vitest'
import { loader as healthcheck } from '~/routes/resources+/healthcheck'
import { prisma } from '~/utils/db.server'
import { env } from '~/utils/env.server'
import { readCrontab } from '../../worker/runner'
import { taskList } from '../../worker/tasks/index'
import { createUser } from '../factories'

describe('worker', () => {
	test('cleanup_sessions runs through graphile-worker and deletes only expired sessions', async () => {
		const user = await createUser('reseller')
		const past = new Date(Date.now() - 1000)
		const future = new Date(Date.now() + 3_600_000)
		await prisma.session.createMany({
			data: [
				{ id: 'a'.repeat(64), userId: user.id, expiresAt: past },
				{ id: 'b'.repeat(64), userId: user.id, expiresAt: past },
				{ id: 'c'.repeat(64), userId: user.id, expiresAt: future },
			],
		})
		await prisma.loginThrottle.create({ data: { key: 'ip:old', failures: 3, windowStart: new Date(Date.now() - 2 * 3_600_000) } })
		await prisma.loginThrottle.create({ data: { key: 'ip:fresh', failures: 3 } })
		await quickAddJob({ connectionString: env().DATABASE_URL }, 'cleanup_sessions', {})
		await runOnce({ connectionString: env().DATABASE_URL, taskList })
		expect((await prisma.session.findMany({ select: { id: true } })).map((s) => s.id)).toEqual(['c'.repeat(64)])
		expect((await prisma.loginThrottle.findMany({ select: { key: true } })).map((t) => t.key)).toEqual(['ip:fresh'])
		const failed = await prisma.$queryRaw<{ n: bigint }[]>`select count(*) as n from graphile_worker.jobs`
		expect(failed[0]!.n).toBe(0n) // the job completed (completed jobs are removed)
	})

	test('every crontab task exists and has an explicit id', () => {
		const lines = readCrontab().split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'))
		expect(lines.length).toBeGreaterThan(0)
		for (const line of lines) {
			const [, , , , , task, opts] = line.trim().split(/\s+/)
			expect(Object.keys(taskList)).toContain(task)
			expect(opts).toMatch(/[?&]id=[a-z_]+/)
		}
	})

	test('healthcheck: 503 without a worker heartbeat, 200 with a fresh one, 503 when stale', async () => {
		const res1 = (await healthcheck({ request: new Request('http://x/resources/healthcheck'), params: {}, context: {} })) as Response
		expect(res1.status).toBe(503)
		await prisma.workerHeartbeat.create({ data: { workerId: 'w1', beatAt: new Date(), pid: 1, hostname: 'h' } })
		const res2 = (await healthcheck({ request: new Request('http://x/resources/healthcheck'), params: {}, context: {} })) as Response
		expect(res2.status).toBe(200)
		expect(await res2.json()).toEqual({ db: 'ok', worker: 'ok' })
		await prisma.workerHeartbeat.update({ where: { workerId: 'w1' }, data: { beatAt: new Date(Date.now() - 120_000) } })
		const res3 = (await healthcheck({ request: new Request('http://x/resources/healthcheck'), params: {}, context: {} })) as Response
		expect(res3.status).toBe(503)
	})
})
