import type { Task } from 'graphile-worker'
import { z } from 'zod'
import { fanOut } from '~/services/telegram/fanout.server'

const payload = z.object({ notificationId: z.string().regex(/^\d{1,18}$/) })

/** Queued by the notifications trigger: one telegram_send job per recipient who wants the event. */
export const telegram_fanout: Task = async (raw, helpers) => {
	const { notificationId } = payload.parse(raw)
	const { created } = await fanOut(BigInt(notificationId))
	if (created) helpers.logger.debug(`telegram_fanout: notification ${notificationId} → ${created} deliveries`)
}
