import type { Task } from 'graphile-worker'
import { z } from 'zod'
import { prisma } from '~/utils/db.server'

const payload = z.object({}).passthrough()

/** Deletes expired sessions and login throttles whose lock and window are over. Idempotent. */
export const cleanup_sessions: Task = async (raw, helpers) => {
	payload.parse(raw ?? {})
	const now = new Date()
	const sessions = await prisma.session.deleteMany({ where: { expiresAt: { lte: now } } })
	const throttles = await prisma.loginThrottle.deleteMany({
		where: { windowStart: { lt: new Date(now.getTime() - 60 * 60_000) }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
	})
	helpers.logger.info(`cleanup_sessions: ${sessions.count} sessions, ${throttles.count} throttles removed`)
	return
}
