import type { Task } from 'graphile-worker'
import { z } from 'zod'
import { runBackup } from '~/services/backup/backups.server'

const payload = z.object({ trigger: z.enum(['scheduled', 'manual']).default('scheduled') }).passthrough()

/** A backup of the database (scheduled by the crontab, or asked for from /admin/backups). */
export const backup_database: Task = async (raw, helpers) => {
	const { trigger } = payload.parse(raw ?? {})
	const b = await runBackup(trigger)
	helpers.logger.info(`backup_database: #${b.id} ${b.status}${b.bytes != null ? ` (${b.bytes} bytes)` : ''}`)
	// a failed backup is recorded and notified; throwing would retry into the same failure 25 times
}
