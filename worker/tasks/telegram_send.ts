import type { Task } from 'graphile-worker'
import { z } from 'zod'
import { deliver } from '~/services/telegram/deliver.server'

const payload = z.object({ deliveryId: z.string().regex(/^\d{1,18}$/) })

/** One Telegram message (or backup file) to one chat; throws only for errors worth a retry. */
export const telegram_send: Task = async (raw) => {
	const { deliveryId } = payload.parse(raw)
	await deliver(BigInt(deliveryId))
}
