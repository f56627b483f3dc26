// Enqueue a graphile-worker job inside the caller's transaction (SQL add_job), so the job exists
// if and only if the transaction commits: charge + order + job are one unit (rule 5).
import type { SqlDb } from '~/utils/sql.server'

export interface EnqueueOptions {
	/** Same key while pending = the job is replaced, not duplicated (coalescing). */
	jobKey?: string
	queueName?: string
	maxAttempts?: number
	runAt?: Date
	/** 'preserve_run_at': a pending job with the same key keeps its run time (default 'replace'). */
	jobKeyMode?: 'replace' | 'preserve_run_at'
}

// Any raw-SQL transaction: Prisma's, or a plain pg one (the usage batches, utils/sql.server.ts).
export async function enqueue(tx: SqlDb, task: string, payload: object, opts: EnqueueOptions = {}) {
	await tx.$executeRaw`select graphile_worker.add_job(
		${task}::text,
		${JSON.stringify(payload)}::json,
		queue_name := ${opts.queueName ?? null}::text,
		run_at := ${opts.runAt ?? null}::timestamptz,
		max_attempts := ${opts.maxAttempts ?? 25}::int,
		job_key := ${opts.jobKey ?? null}::text,
		job_key_mode := ${opts.jobKeyMode ?? 'replace'}::text
	)`
}
