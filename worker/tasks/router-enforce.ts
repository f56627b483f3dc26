import type { Task } from 'graphile-worker'
import { z } from 'zod'
import { enforceRouter } from '~/services/routers/enforce.server'

const payload = z.object({ routerId: z.number().int().positive() })

/** Quota enforcement outside a poll (after a quota or mode change); paused while the router is stale. */
export const router_enforce: Task = async (raw) => {
	const { routerId } = payload.parse(raw)
	await enforceRouter(routerId)
}
