import type { Task } from 'graphile-worker'
import { z } from 'zod'
import { enqueueRouterPolls } from '~/services/routers/schedule.server'

const payload = z.object({ _cron: z.object({ ts: z.string(), backfilled: z.boolean() }).partial().optional() })

/** Fan-out: one router_poll per live router that is due, on the router's queue. */
export const router_poll_all: Task = async (raw) => {
	payload.parse(raw ?? {})
	await enqueueRouterPolls()
}
