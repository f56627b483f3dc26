import type { Task } from 'graphile-worker'
import { z } from 'zod'
import { runRouterPoll } from '~/services/routers/schedule.server'

const payload = z.object({ routerId: z.number().int().positive() })

/**
 * One router's poll on queue `router:<id>` (two polls of one router never overlap). An unreachable
 * router is recorded as stale by the poll itself and retried by the next scheduled poll, not by
 * graphile-worker's backoff (a backoff retry would land between scheduled polls).
 */
export const router_poll: Task = async (raw) => {
	const { routerId } = payload.parse(raw)
	await runRouterPoll(routerId)
}
