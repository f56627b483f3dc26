// Bulk reads only (never one call per customer), batches across pages, and the empty node.
import { afterAll, expect, test } from 'vitest'
import { syncNodeUsage } from '~/services/usage/sync.server'
import { prisma } from '~/utils/db.server'
import { SIM_CREDENTIALS } from '../../sim/start-all'
import { startMarzbanSim } from '../../sim/marzban'
import { startMarzneshinSim } from '../../sim/marzneshin'
import { startPasarGuardSim } from '../../sim/pasarguard'
import { createReseller } from '../billing/fixtures'
import { createSimNode } from './fixtures'

const closers: Array<() => Promise<void>> = []
afterAll(() => Promise.all(closers.map((c) => c())))

/** n customers of one pool reseller with sub-accounts named like the simulator's seed (`<prefix>_<i>`). */
async function seedCustomers(nodeId: number, prefix: string, n: number) {
	const { reseller } = await createReseller({ nodeIds: [nodeId], fundingModel: 'pool', poolBytes: 10n ** 12n })
	await prisma.$executeRaw`
		with c as (
			insert into customers (reseller_id, username, data_limit_bytes, expire_at, sub_token, updated_at)
			select ${reseller.id}, ${prefix} || g, 1073741824000, now() + interval '30 days', md5(random()::text || g), now()
			from generate_series(1, ${n}) g
			returning id, username
		)
		insert into sub_accounts (customer_id, node_id, remote_username, state, updated_at)
		select id, ${nodeId}, ${prefix} || '_' || substr(username, length(${prefix}) + 1), 'active', now() from c`
	return reseller.id
}

test.each([
	['pasarguard', 2500, 1000],
	['marzneshin', 2500, 100], // the panel caps pages at 100
] as const)('%s: %i accounts across pages of %i → one list call per page, batches of 1000, every delta once', async (kind, n, pageSize) => {
	const sim = kind === 'pasarguard' ? await startPasarGuardSim({ apiKeys: [SIM_CREDENTIALS.pasarguardApiKey] }) : await startMarzneshinSim({})
	closers.push(() => sim.close())
	const nodeId = await createSimNode(kind, kind === 'pasarguard' ? { kind, baseUrl: sim.url, apiKey: SIM_CREDENTIALS.pasarguardApiKey } : { kind, baseUrl: sim.url, ...SIM_CREDENTIALS.xray })
	await sim.control.seed(n, 'bulk')
	await sim.control.seed(10, 'foreign') // accounts on the panel that are not ours are ignored
	const resellerId = await seedCustomers(nodeId, 'bulk', n)
	sim.control.addTraffic(1234)
	sim.control.resetStats()
	const r = await syncNodeUsage(nodeId)
	expect(r).toMatchObject({ accounts: n + 10, matched: n, changed: n, batches: Math.ceil(n / 1000) })
	const stats = sim.control.stats()
	expect(stats.byRoute['GET /api/users']).toBe(Math.ceil((n + 10) / pageSize))
	expect(stats.byRoute['GET /api/users/:username'] ?? 0).toBe(0)
	const [sum] = await prisma.$queryRaw<Array<{ used: bigint; n: bigint }>>`select sum(used_bytes)::bigint as used, count(*) as n from customers where reseller_id = ${resellerId} and used_bytes = 1234`
	expect(sum).toEqual({ used: BigInt(n) * 1234n, n: BigInt(n) })
	const pool = await prisma.ledgerEntry.findMany({ where: { resellerId, kind: 'pool_usage' } })
	expect(pool).toHaveLength(Math.ceil(n / 1000)) // one entry per reseller per batch
	expect(pool.reduce((a, e) => a + e.amount, 0n)).toBe(-BigInt(n) * 1234n)
	// a second round with no traffic writes nothing
	const again = await syncNodeUsage(nodeId)
	expect(again).toMatchObject({ matched: n, changed: 0, batches: 0 })
}, 60_000)

test('a node with no accounts at all syncs cleanly and is not stale', async () => {
	const sim = await startMarzbanSim({})
	closers.push(() => sim.close())
	const nodeId = await createSimNode('empty', { kind: 'marzban', baseUrl: sim.url, ...SIM_CREDENTIALS.xray })
	const r = await syncNodeUsage(nodeId)
	expect(r).toMatchObject({ accounts: 0, matched: 0, changed: 0, batches: 0, failures: 0 })
	const node = await prisma.node.findUniqueOrThrow({ where: { id: nodeId } })
	expect(node).toMatchObject({ lastSyncAccounts: 0, lastSyncError: null, usageStale: false })
	expect(node.lastSyncAt).not.toBeNull()
	expect(await prisma.taskRun.findFirstOrThrow({ where: { nodeId } })).toMatchObject({ error: null, items: 0 })
})
