// Enforcement racing the usage sync: a decision whose cause is reseller-wide (pool, credit) must
// not be dropped because another node's sync wrote new usage on the same customer at that moment.
import { expect, test } from 'vitest'
import { post } from '~/services/billing/ledger.server'
import { evaluateReseller } from '~/services/enforcement.server'
import { prisma } from '~/utils/db.server'
import { createReseller } from '../billing/fixtures'

/** Until some statement of this database waits for a row lock (bounded; no fixed sleep). */
async function untilBlocked() {
	for (let i = 0; i < 400; i++) {
		const [row] = await prisma.$queryRaw<Array<{ n: number }>>`
			select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`
		if (row!.n > 0) return
		await new Promise((r) => setTimeout(r, 25))
	}
	throw new Error('the enforcement statement never waited for the row lock')
}

test('pool empty while another sync writes usage on one of his customers: every customer is disabled', async () => {
	const { reseller } = await createReseller({ nodeIds: [], fundingModel: 'pool', poolBytes: 1n })
	const ids: number[] = []
	for (const name of ['quiet', 'busy']) {
		const c = await prisma.customer.create({ data: { resellerId: reseller.id, username: name, dataLimitBytes: 10n ** 10n, expireAt: new Date(Date.now() + 86_400_000), subToken: `race-${name}-${reseller.id}` } })
		ids.push(c.id)
	}
	// the pool is used up (through the ledger, as the sync charges it)
	await prisma.$transaction((tx) => post(tx, { resellerId: reseller.id, account: 'traffic', amount: -1n, kind: 'pool_usage', refType: 'usage', idempotencyKey: `race-${reseller.id}`, allowOverdraft: true }))
	let decided: Promise<unknown> | undefined
	// Another node's sync batch holds "busy" (new usage, not yet committed) while the decision runs:
	// the decision reads the old row, then waits for the lock, then finds the usage changed.
	await prisma.$transaction(async (tx) => {
		await tx.$executeRaw`update customers set used_bytes = used_bytes + 1000 where id = ${ids[1]!}::int`
		decided = evaluateReseller(reseller.id)
		await untilBlocked()
	})
	await decided
	const rows = await prisma.customer.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } })
	expect(rows.map((r) => [r.username, r.status, r.disabledReason])).toEqual([
		['quiet', 'disabled', 'pool'],
		['busy', 'disabled', 'pool'],
	])
})
