import type { Task } from 'graphile-worker'
import { z } from 'zod'
import { applyDuePlanChanges } from '~/services/invoices/plan-change.server'

// customerId: the service whose switch this job was queued for (run_at = its switch time); the
// hourly sweep has none. Either way every due switch is applied, each once.
const payload = z.object({ customerId: z.number().int().positive().optional() }).passthrough()

/** Paid downgrades whose renewal has come: the new plan's nodes and volume take over (decision 015). */
export const apply_plan_changes: Task = async (raw, helpers) => {
	payload.parse(raw ?? {})
	const n = await applyDuePlanChanges()
	if (n) helpers.logger.info(`apply_plan_changes: ${n} switched`)
}
