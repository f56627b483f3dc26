import type { Task } from 'graphile-worker'
import { z } from 'zod'
import { failAbandonedExports } from '~/services/reports/abandoned.server'
import { expireReportExports } from '~/services/retention/report-exports.server'
import { pruneUsageHalfHours } from '~/services/retention/usage-slots.server'

const payload = z.object({ _cron: z.object({ ts: z.string(), backfilled: z.boolean() }).partial().optional() })

/**
 * Daily: finished Excel exports past REPORT_RETENTION_DAYS (file deleted, row "expired") and the
 * dashboard's half-hour usage slots past 48 hours; exports whose job was spent by killed workers end
 * "failed" (the reports page also does this for the ones it lists). Raw router samples have their own hourly task
 * (router_cleanup, each router's retention). Bounded work per run; idempotent.
 */
export const retention_cleanup: Task = async (raw, helpers) => {
	payload.parse(raw ?? {})
	const abandoned = await failAbandonedExports()
	const exports = await expireReportExports()
	const slots = await pruneUsageHalfHours()
	helpers.logger.info(`retention_cleanup: ${exports.expired} exports expired, ${exports.strays} stray files, ${abandoned} abandoned exports failed, ${slots.deleted} usage slots${exports.more || slots.more ? ' (more left for the next run)' : ''}`)
}
