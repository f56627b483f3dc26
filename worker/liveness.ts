// Worker liveness (decision 020): each worker process writes a heartbeat under its graphile-worker
// pool id — the value graphile-worker 0.17 writes into jobs.locked_by and job_queues.locked_by
// (main.js _runTaskList: batchGetJobs(…, workerPool.id, …)) — and every beat also sweeps: the
// jobs and queues locked by a pool whose heartbeat went stale are handed back with graphile-worker's
// own force_unlock_workers(). Without the sweep a job whose process was killed stays locked until
// graphile-worker's built-in expiry, 4 hours (resetLockedAt.js: `locked_at < now() - interval
// '4 hours'`), and its node queue with it: that node's usage would not sync for 4 hours.
//
// Every time is the database's clock (now()), the one clock every host shares.
import { prisma } from '~/utils/db.server'

/** How often a worker beats (and sweeps), given how long a silent worker counts as alive. */
export const beatEveryMs = (deadAfterSec: number) => Math.min(10_000, Math.floor((deadAfterSec * 1000) / 4))

export async function beat(workerId: string, pid: number, hostname: string) {
	await prisma.$executeRaw`
		insert into worker_heartbeats (worker_id, beat_at, pid, hostname) values (${workerId}, now(), ${pid}::int, ${hostname})
		on conflict (worker_id) do update set beat_at = now()`
}

/**
 * One statement: forget the pools silent for `deadAfterSec` and unlock what they held; also what a
 * pool with no heartbeat at all has held for that long (it died before its first beat — a live
 * pool beats right after it starts). Returns the pool ids unlocked. A pool that was only stalled,
 * not dead, beats again and keeps working, and the jobs it lost may run twice: every job here is
 * idempotent (usage counters are compare-and-set, panel work is a reconcile), which is why the
 * threshold may be as short as a minute.
 */
export async function sweepDeadWorkers(deadAfterSec: number): Promise<string[]> {
	const rows = await prisma.$queryRaw<Array<{ ids: string[] }>>`
		with dead as (
			delete from worker_heartbeats where beat_at < now() - make_interval(secs => ${deadAfterSec}::int) returning worker_id
		), orphans as (
			select distinct j.locked_by from graphile_worker._private_jobs j
			where j.locked_by is not null and j.locked_at < now() - make_interval(secs => ${deadAfterSec}::int)
				and not exists (select 1 from worker_heartbeats h where h.worker_id = j.locked_by)
		), ids as (
			select coalesce(array_agg(id), '{}') as ids from (select worker_id as id from dead union select locked_by from orphans) x
		), unlocked as (
			select graphile_worker.force_unlock_workers(ids.ids) from ids where cardinality(ids.ids) > 0
		)
		select ids.ids from ids, (select count(*) from unlocked) u`
	return rows[0]?.ids ?? []
}
