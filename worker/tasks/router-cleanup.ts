import type { Task } from 'graphile-worker'
import { z } from 'zod'
import { pruneRouterSamples } from '~/services/routers/schedule.server'

const payload = z.object({ _cron: z.object({ ts: z.string(), backfilled: z.boolean() }).partial().optional() })

/** Raw router samples past each router's retention (default 14 days); rollups stay. */
export const router_cleanup: Task = async (raw) => {
	payload.parse(raw ?? {})
	await pruneRouterSamples()
}
