import type { Task } from 'graphile-worker'
import { z } from 'zod'
import { compactCustomerCounts } from '~/services/customer-counts.server'

const payload = z.object({ _cron: z.object({ ts: z.string(), backfilled: z.boolean() }).partial().optional() })

/** Folds the customer count deltas into one row per status, so the dashboard's sum stays small. Idempotent. */
export const compact_customer_counts: Task = async (raw, helpers) => {
	payload.parse(raw ?? {})
	const folded = await compactCustomerCounts()
	if (folded > 0) helpers.logger.debug(`compact_customer_counts: ${folded} delta rows folded`)
}
