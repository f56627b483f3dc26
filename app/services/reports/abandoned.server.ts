// Exports whose job will never run again. A worker killed mid-export (SIGKILL, OOM, a restart)
// leaves its job locked and the row "running"; graphile-worker unlocks such a job after 4 hours
// (resetLockedAt) and runs it again only while attempts remain (EXPORT_ATTEMPTS), and runExport
// re-claims a "running" row, so a retry starts the file over and finishes it. After the last
// attempt nothing would ever touch the row again: this ends it "failed" with a translated reason.
import { Prisma } from '~/generated/prisma/client'
import { prisma } from '~/utils/db.server'

/** The reason stored on the row: a translation key, shown in the reader's language (components/reports/exports). */
export const WORKER_LOST = 'reports.exports.errors.workerLost'

/**
 * Fails every queued or running export (or only `ids`) whose job is gone or spent — unlocked with
 * no attempt left. A job still locked may belong to a live worker (an export of a million rows
 * runs for minutes) and is left alone until graphile-worker itself declares its worker dead.
 */
export async function failAbandonedExports(ids?: number[]): Promise<number> {
	if (ids && !ids.length) return 0
	const only = ids ? Prisma.sql`and r.id = any(${ids}::int[])` : Prisma.empty
	return prisma.$executeRaw`
		update report_exports r set status = 'failed', error = ${WORKER_LOST}, finished_at = now()
		where r.status in ('queued', 'running') ${only}
		and not exists (
			select 1 from graphile_worker.jobs j
			where j.key = 'report_export:' || r.id and (j.locked_at is not null or j.attempts < j.max_attempts)
		)`
}
