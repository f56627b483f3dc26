import type { Task } from 'graphile-worker'
import { z } from 'zod'
import { scheduleNextSync, syncNodeUsage } from '~/services/usage/sync.server'

const payload = z.object({ nodeId: z.number().int().positive() })

/**
 * One node's usage sync on queue `node:<id>` (two runs for one node never overlap). A failure is
 * recorded on the node and rethrown for graphile-worker's retry — unless a sub-minute interval
 * already chained the next run: that run is the retry, and a failed job whose key moved on to it
 * would only stay behind as a dead row.
 */
export const sync_node_usage: Task = async (raw) => {
	const { nodeId } = payload.parse(raw)
	let failure: unknown = null
	await syncNodeUsage(nodeId).catch((e: unknown) => (failure = e))
	const next = await scheduleNextSync(nodeId)
	if (failure && !next) throw failure
}
