import type { Task } from 'graphile-worker'
import { z } from 'zod'
import { pollUpdates } from '~/services/telegram/poll.server'

const payload = z.object({}).passthrough()

/** getUpdates once (long poll): binds chats that sent /start <code>. One at a time (queue telegram_poll). */
export const telegram_poll: Task = async (raw, helpers) => {
	payload.parse(raw ?? {})
	const r = await pollUpdates()
	if (r.updates) helpers.logger.debug(`telegram_poll: ${r.updates} updates, ${r.linked} linked`)
}
