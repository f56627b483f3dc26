import type { Task } from 'graphile-worker'
import { z } from 'zod'
import { expireOverdue } from '~/services/payments/payments.server'

const payload = z.object({}).passthrough()

/**
 * Payments by transfer nobody sent a receipt for before their expiry → expired, their card room
 * freed. Only that: a receipt waiting for review is never decided by a timer. Idempotent (each
 * move is a conditional UPDATE), safe with two workers.
 */
export const expire_payments: Task = async (raw, helpers) => {
	payload.parse(raw ?? {})
	const n = await expireOverdue()
	if (n) helpers.logger.info(`expire_payments: ${n} expired`)
}
