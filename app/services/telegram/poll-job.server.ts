// The getUpdates poller runs as one job at a time (its own queue and job key): two getUpdates at
// once are refused by Telegram (409 Conflict), and each would see the other's updates.
import type { Tx } from '~/utils/db.server'
import { prisma } from '~/utils/db.server'

export const POLL_TASK = 'telegram_poll'

/** Queue a poll now (or after `inMs`), unless one is already waiting (its time is kept). */
export async function enqueuePoll(db: Tx | typeof prisma = prisma, inMs = 0) {
	await db.$executeRaw`select graphile_worker.add_job(${POLL_TASK}::text, '{}'::json,
		queue_name := ${POLL_TASK}::text, run_at := now() + ${inMs}::int * interval '1 millisecond',
		max_attempts := 3, job_key := ${POLL_TASK}::text, job_key_mode := 'preserve_run_at')`
}
