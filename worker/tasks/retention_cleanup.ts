import type { Task } from 'graphile-worker'
import { z } from 'zod'
import { expireReportExports } from '~/services/retention/report-exports.server'
import { pruneUsageHalfHours } from '~/services/retention/usage-slots.server'

const payload = z.object({ _cron: z.object({ ts: z.string(), backfilled: z.boolean() }).partial().optional() })

/**
 * Daily: finished Excel exports past REPORT_RETENTION_DAYS (file deleted, row "expired") and the
 * dashboard's half-hour usage slots past 48 hours. Raw router samples have their own hourly task
 * (router_cleanup, each router's retention). Bounded work per run; idempotent.
 */
export const retention_cleanup: Task = async (raw, helpers) => {
	payload.parse(raw ?? {})
	const exports = await expireReportExports()
	const slots = await pruneUsageHalfHours()
	helpers.logger.info(`retention_cleanup: ${exports.expired} exports expired, ${exports.strays} stray files, ${slots.deleted} usage slots${exports.more || slots.more ? ' (more left for the next run)' : ''}`)
}
