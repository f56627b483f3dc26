// At 100k customers the periodic pass stays fast: set-based decisions, keyset pages.
import { expect, test } from 'vitest'
import { enforceAll } from '~/services/enforcement.server'
import { generateNotifications } from '~/services/notifications.server'
import { getSettings } from '~/services/settings.server'
import { prisma } from '~/utils/db.server'
import { createReseller } from '../billing/fixtures'

test('100k customers: a pass with nothing to change, a mass change, and the pass after it', async () => {
	const { reseller } = await createReseller({ nodeIds: [] })
	await prisma.$executeRaw`insert into customers (reseller_id, username, data_limit_bytes, used_bytes, expire_at, sub_token, updated_at)
		select ${reseller.id}, 'u' || g, 10737418240, (g % 7) * 1073741824::bigint, now() + (g % 40) * interval '1 day' + interval '1 hour', md5(g::text) || g, now()
		from generate_series(1, 100000) g`
	let t = performance.now()
	const quiet = await enforceAll()
	const quietMs = performance.now() - t
	t = performance.now()
	const notified = await generateNotifications(await getSettings())
	const notifyMs = performance.now() - t
	await prisma.$executeRaw`update customers set expire_at = now() - interval '1 minute' where id % 10 = 0`
	t = performance.now()
	const mass = await enforceAll()
	const massMs = performance.now() - t
	t = performance.now()
	const again = await enforceAll()
	const againMs = performance.now() - t
	console.log(`enforceAll at 100k: quiet ${quietMs | 0} ms, 10k disabled ${massMs | 0} ms, next ${againMs | 0} ms; notifications ${notifyMs | 0} ms`)
	expect(quiet).toEqual({ disabled: 0, enabled: 0 })
	expect(notified).toBeGreaterThan(0)
	expect(mass).toEqual({ disabled: 10_000, enabled: 0 })
	expect(again).toEqual({ disabled: 0, enabled: 0 })
	const [jobs] = await prisma.$queryRaw<Array<{ n: number }>>`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'reconcile_customer' and key like 'customer:%'`
	expect(jobs.n).toBe(10_000)
	expect(await prisma.customerEvent.count({ where: { kind: 'auto_disabled', reason: 'expiry' } })).toBe(10_000)
	// The durations are logged above for information; timing bars live in `npm run bench`, never in tests.
}, 300_000)
