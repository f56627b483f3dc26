// Retry and discard of failed graphile-worker jobs through graphile-worker's own utilities (they
// refuse locked, i.e. running, jobs). Each change is audited with the job as it was.
import { makeWorkerUtils, type WorkerUtils } from 'graphile-worker'
import { audit } from '~/utils/audit.server'
import { prisma } from '~/utils/db.server'
import { env } from '~/utils/env.server'
import { quietLogger } from '../../worker/schema'

const g = globalThis as unknown as { __workerUtils?: Promise<WorkerUtils> }

function workerUtils() {
	return (g.__workerUtils ??= makeWorkerUtils({ connectionString: env().DATABASE_URL, logger: quietLogger() }))
}

/** Tests and shutdown: close the utilities' connection pool. */
export async function releaseWorkerUtils() {
	const utils = g.__workerUtils
	delete g.__workerUtils
	if (utils) await (await utils).release()
}

async function failedJob(id: string) {
	const [job] = await prisma.$queryRaw<Array<{ id: bigint; task: string; attempts: number; max_attempts: number; last_error: string | null; locked_at: Date | null }>>`
		select id, task_identifier as task, attempts, max_attempts, last_error, locked_at from graphile_worker.jobs where id = ${id}::bigint`
	return job && job.last_error !== null ? job : null
}

export type JobActionResult = 'done' | 'not_found' | 'locked'

/** Run the job again now, with a fresh set of attempts. */
export async function retryJob(id: string, actorId: number): Promise<JobActionResult> {
	const job = await failedJob(id)
	if (!job) return 'not_found'
	if (job.locked_at) return 'locked'
	// workerUtils.rescheduleJobs turns `attempts: 0` into "leave unchanged" (it uses `||`), so the
	// same graphile-worker function is called with an explicit 0.
	const utils = await workerUtils()
	const { rows } = await utils.withPgClient((client) => client.query('select id from graphile_worker.reschedule_jobs($1::bigint[], run_at := now(), attempts := 0)', [[id]]))
	if (rows.length === 0) return 'locked'
	await audit({ actorId, action: 'job.retry', entityType: 'job', entityId: id, before: { task: job.task, attempts: job.attempts, maxAttempts: job.max_attempts, lastError: job.last_error }, after: { attempts: 0 } })
	return 'done'
}

/** Remove the job for good (graphile-worker's completeJobs deletes it). */
export async function discardJob(id: string, actorId: number): Promise<JobActionResult> {
	const job = await failedJob(id)
	if (!job) return 'not_found'
	if (job.locked_at) return 'locked'
	const done = await (await workerUtils()).completeJobs([id])
	if (done.length === 0) return 'locked'
	await audit({ actorId, action: 'job.discard', entityType: 'job', entityId: id, before: { task: job.task, attempts: job.attempts, maxAttempts: job.max_attempts, lastError: job.last_error } })
	return 'done'
}
