import type { Task } from 'graphile-worker'
import { z } from 'zod'
import { expireUnpaidInvoices } from '~/services/invoices/void.server'

const payload = z.object({}).passthrough()

/**
 * Store invoices left unpaid past their due time (and stale drafts) → void, their coupon
 * reservations released. Each void is a conditional UPDATE under the invoice's row lock, so a
 * payment settling the same invoice either wins or finds it void; safe with two workers.
 */
export const expire_invoices: Task = async (raw, helpers) => {
	payload.parse(raw ?? {})
	const n = await expireUnpaidInvoices()
	if (n) helpers.logger.info(`expire_invoices: ${n} voided`)
}
