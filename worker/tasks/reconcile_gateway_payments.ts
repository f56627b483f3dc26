import type { Task } from 'graphile-worker'
import { z } from 'zod'
import { reconcileGatewayPayments } from '~/services/payments/gateway-reconcile.server'
import { recordRun } from '~/services/task-runs.server'

// Cron adds `_cron: { ts, backfilled }`; a manual run may send nothing.
const payload = z.object({ _cron: z.object({ ts: z.string(), backfilled: z.boolean().optional() }).optional() }).nullish()

/**
 * Every 5 minutes: gateway payments whose payer never came back are inquired and settled if
 * paid, expired after 24 h. Idempotent; a second worker running it at once credits nothing twice.
 */
export const reconcile_gateway_payments: Task = async (raw, helpers) => {
	payload.parse(raw)
	await recordRun('reconcile_gateway_payments', null, async () => {
		const r = await reconcileGatewayPayments()
		if (r.items) helpers.logger.info(`reconcile_gateway_payments: ${r.items} due, ${r.settled} settled, ${r.closed} closed, ${r.failures} failed`)
		if (r.errors.length) throw new Error(r.errors.slice(0, 5).join('; '))
		return { items: r.items, failures: r.failures }
	})
}
