import type { Task } from 'graphile-worker'
import { z } from 'zod'
import { reconcileCustomer } from '~/services/provisioning.server'

// returning: set by the rate limit's reschedule (the job waited its turn in the node's queue).
const payload = z.object({ customerId: z.number().int().positive(), orderId: z.number().int().positive().optional(), returning: z.boolean().optional() })

/** Brings every panel to the customer's desired state; throws to be retried with backoff. */
export const reconcile_customer: Task = async (raw) => {
	const { customerId, orderId, returning } = payload.parse(raw)
	await reconcileCustomer(customerId, orderId, returning)
}
