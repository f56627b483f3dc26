// usage_half_hours (decision 026) exists for the admin dashboard's last 24 hours: 48 rows per node
// per day that nothing else reads. Slots older than 48 hours (a day of margin) are deleted in
// batches, each its own short statement, with a bound on the work of one run: after a long outage
// of the task the backlog is worked off over several runs instead of one long delete.
import { prisma } from '~/utils/db.server'

export const USAGE_SLOTS_KEPT_HOURS = 48

export async function pruneUsageHalfHours(now = new Date(), opts: { batch?: number; maxBatches?: number } = {}) {
	const batch = opts.batch ?? 10_000
	const maxBatches = opts.maxBatches ?? 20
	const cutoff = new Date(now.getTime() - USAGE_SLOTS_KEPT_HOURS * 3_600_000)
	let deleted = 0
	for (let i = 0; i < maxBatches; i++) {
		const n = await prisma.$executeRaw`
			delete from usage_half_hours where (node_id, slot) in (
				select node_id, slot from usage_half_hours where slot < ${cutoff} limit ${batch}
			)`
		deleted += n
		if (n < batch) return { deleted, more: false }
	}
	return { deleted, more: true }
}
