import type { Task } from 'graphile-worker'
import { z } from 'zod'
import { enforceAll, requeueStuck } from '~/services/enforcement.server'
import { generateNotifications } from '~/services/notifications.server'
import { getSettings } from '~/services/settings.server'
import { recordRun } from '~/services/task-runs.server'

// Cron adds `_cron: { ts, backfilled }`; a manual run may send nothing.
const payload = z.object({ _cron: z.object({ ts: z.string(), backfilled: z.boolean().optional() }).optional() }).nullish()

/**
 * Every minute: expiry, quota, pool and negative-credit decisions for every customer (quota is
 * also decided right after each usage sync), panel work that stopped being retried, and the
 * notifications. The steps are independent: one failing does not skip the others, and the run
 * is then recorded as failed with every message.
 */
export const enforce_policies: Task = async (raw) => {
	payload.parse(raw)
	await recordRun('enforce_policies', null, async () => {
		const s = await getSettings()
		const errors: string[] = []
		let items = 0
		const step = async (name: string, fn: () => Promise<number>) => {
			try {
				items += await fn()
			} catch (e) {
				errors.push(`${name}: ${(e as Error).message}`)
			}
		}
		await step('enforce', async () => {
			const r = await enforceAll()
			return r.disabled + r.enabled
		})
		await step('requeue', () => requeueStuck())
		await step('notify', () => generateNotifications(s))
		if (errors.length) throw new Error(errors.join('; '))
		return { items, failures: 0 }
	})
}
