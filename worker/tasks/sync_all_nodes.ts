import type { Task } from 'graphile-worker'
import { z } from 'zod'
import { enqueueNodeSyncs } from '~/services/usage/sync.server'

// Cron adds `_cron: { ts, backfilled }`; nothing else is expected.
const payload = z.object({ _cron: z.object({ ts: z.string(), backfilled: z.boolean() }).partial().optional() })

/** Fan-out: one sync_node_usage job per live node, on the node's queue, keyed `sync:<id>`. */
export const sync_all_nodes: Task = async (raw) => {
	payload.parse(raw ?? {})
	await enqueueNodeSyncs()
}
