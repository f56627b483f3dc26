// Enforcement at the rate-limit bound (issue 10): quota crossings and a pool exhaustion turned into
// disables on 10 simulated panels (two of each kind, in their own process), with a worker running
// as in production and the default limit (remoteOpsPerSec, 3 writes/s per node). Bound, computed in
// the same run: the moment enforcement had decided every customer (all disabled in our database) +
// the writes the busiest node must take at its rate. Bars (issue 10): 100 quota crossings ≤ 1.5 ×
// bound, 5,000 customers of an exhausted pool ≤ 1.2 × bound. Both are checked on the panels.
import { spawn } from 'node:child_process'
import { remoteControl } from '../../sim/base'
import { SIM_CREDENTIALS } from '../../sim/start-all'
import { benchDatabase } from '../env'
import { figure, type BenchCase } from '../types'

const NODES = 10
const CROSSING_PER_NODE = 10 // 100 quota crossings in all
const POOL_PER_NODE = Number(process.env.BENCH_POOL_CUSTOMERS || 5_000) / NODES
const PER = CROSSING_PER_NODE + POOL_PER_NODE
type SimInfo = { kind: 'marzban' | 'pasarguard' | 'marzneshin' | 'wgdashboard' | 'routeros'; url: string }

function startSims(): Promise<{ sims: SimInfo[]; stop(): Promise<void> }> {
	// No seeded accounts: the hub creates its own (with its ownership marker) during the setup.
	const child = spawn(process.execPath, ['--import', 'tsx', 'bench/usage-sims.ts'], { env: { ...process.env, PER: '0' }, stdio: ['ignore', 'pipe', 'inherit'] })
	return new Promise((resolve, reject) => {
		let out = ''
		child.stdout.on('data', (d) => {
			out += d
			const m = /READY (\[.*\])\n/.exec(out)
			if (m) resolve({ sims: JSON.parse(m[1]!) as SimInfo[], stop: () => new Promise((r) => (child.once('exit', () => r()), child.kill('SIGKILL'))) })
		})
		child.once('exit', (code) => reject(new Error(`simulators exited (${code}) before they were ready`)))
	})
}

export const enforcementRate: BenchCase = {
	name: 'enforce',
	description: `enforcement at the rate limit: ${NODES * CROSSING_PER_NODE} quota crossings and a pool of ${NODES * POOL_PER_NODE} customers exhausted, ${NODES} nodes, 3 writes/s per node`,
	async run() {
		const db = await benchDatabase()
		const { sims, stop } = await startSims()
		try {
			return await measure(db.url, sims)
		} finally {
			await stop()
		}
	},
}

async function measure(dbUrl: string, sims: SimInfo[]) {
	const { prisma } = await import('~/utils/db.server')
	const { createNode } = await import('~/services/nodes.server')
	const { post } = await import('~/services/billing/ledger.server')
	const { createAdapter } = await import('~/services/panels/index.server')
	const { nodeConnection } = await import('~/models/node.server')
	const { enqueueNodeSyncs } = await import('~/services/usage/sync.server')
	const { getSettings } = await import('~/services/settings.server')
	const { run } = await import('graphile-worker')
	const { taskList } = await import('../../worker/tasks/index')
	const { quietLogger } = await import('../../worker/schema')
	const perSec = (await getSettings()).remoteOpsPerSec

	const admin = await prisma.user.create({ data: { username: `bench_enf_admin_${Date.now()}`, role: 'admin', passwordHash: 'x' } })
	const nodeIds: number[] = []
	for (const [i, s] of sims.entries()) {
		const creds = s.kind === 'pasarguard' ? { apiKey: SIM_CREDENTIALS.pasarguardApiKey } : s.kind === 'wgdashboard' ? { apiKey: SIM_CREDENTIALS.wgdashboardApiKey } : s.kind === 'routeros' ? SIM_CREDENTIALS.routeros : SIM_CREDENTIALS.xray
		const r = await createNode({ name: `bench-enf-${s.kind}-${i}`, kind: s.kind, baseUrl: s.url, transport: 'rest', tls: false, verifyTls: false, usageMultiplier: '1', selected: [], wgEndpoint: 'vpn.example.com:51820', ...creds } as never, admin.id)
		if (!r.ok) throw new Error(`node ${s.kind}: ${JSON.stringify(r)}`)
		nodeIds.push(r.nodeId)
	}
	const reseller = async (fundingModel: 'pool' | 'wallet') => {
		const user = await prisma.user.create({ data: { username: `bench_enf_${fundingModel}_${Date.now()}`, role: 'reseller', passwordHash: 'x' } })
		return prisma.reseller.create({ data: { userId: user.id, name: user.username, fundingModel, allowConfigOverrun: false } })
	}
	const wallet = await reseller('wallet')
	const pool = await reseller('pool')
	// Every account gets 1 MB in each of the two steps below. The pool covers 1.5 MB per account, so
	// it runs out in the second step, not before (WGDashboard's rounded GiB floats stay far inside).
	const MB = 1_000_000
	const POOL_BYTES = BigInt((NODES * POOL_PER_NODE * MB * 3) / 2)
	await prisma.$transaction((tx) => post(tx, { resellerId: pool.id, account: 'traffic', amount: POOL_BYTES, kind: 'top_up', idempotencyKey: `bench-enf-${pool.id}` }))
	// Per node: the first CROSSING_PER_NODE customers are the wallet reseller's, with a limit of
	// 0.5 MB (crossed by the first step), the rest the pool reseller's, with 100 GB each.
	for (const i of sims.keys()) {
		await prisma.$executeRaw`
			with c as (
				insert into customers (reseller_id, username, data_limit_bytes, expire_at, sub_token, updated_at)
				select case when g <= ${CROSSING_PER_NODE}::int then ${wallet.id}::int else ${pool.id}::int end, 'e' || ${i}::int || '_' || g,
					case when g <= ${CROSSING_PER_NODE}::int then 500000 else 107374182400 end, now() + interval '30 days', md5(random()::text || g || ${i}::int), now()
				from generate_series(1, ${PER}::int) g
				returning id, split_part(username, '_', 2)::int as g
			)
			insert into sub_accounts (customer_id, node_id, remote_username, state, updated_at)
			select id, ${nodeIds[i]!}, 'e' || ${i}::int || '_' || g || '_g' || id, 'pending', now() from c`
	}
	await prisma.$executeRawUnsafe('analyze')
	const worker = await run({ connectionString: dbUrl, taskList, concurrency: NODES, pollInterval: 100, noHandleSignals: true, logger: quietLogger() })
	const adapters = new Map(await Promise.all(nodeIds.map(async (id) => [id, createAdapter(await nodeConnection(id))] as const)))
	const queued = async () => (await prisma.$queryRaw<Array<{ n: number }>>`select count(*)::int as n from graphile_worker.jobs where key like 'customer:%'`)[0]!.n
	/** Disabled accounts among `names` per node, read with the panel's bulk list (light on the panels). */
	const disabledOnPanels = async (names: Map<number, Set<string>>) => {
		let n = 0
		await Promise.all([...names].map(async ([nodeId, set]) => {
			let cursor: string | null = null
			do {
				const page = await adapters.get(nodeId)!.listAccounts(cursor, 1000)
				for (const a of page.accounts) if (set.has(a.ref.username) && a.status === 'disabled') n++
				cursor = page.nextCursor
			} while (cursor)
		}))
		return n
	}
	const namesOf = async (resellerId: number) => {
		const rows = await prisma.subAccount.findMany({ where: { customer: { resellerId } }, select: { nodeId: true, remoteUsername: true } })
		const m = new Map<number, Set<string>>()
		for (const r of rows) (m.get(r.nodeId) ?? m.set(r.nodeId, new Set()).get(r.nodeId)!).add(r.remoteUsername)
		return { names: m, total: rows.length }
	}
	/** From `t0`: when our database had decided all of them, and when the panels showed all disabled. */
	const watch = async (t0: number, resellerId: number, decidedStatus: 'limited' | 'disabled', limitMs: number) => {
		const { names, total } = await namesOf(resellerId)
		let decided = 0
		for (;;) {
			const now = performance.now() - t0
			if (now > limitMs) throw new Error(`not all ${total} disabled on the panels after ${limitMs} ms`)
			if (!decided && (await prisma.customer.count({ where: { resellerId, status: decidedStatus } })) === total) decided = performance.now() - t0
			if (decided && (await disabledOnPanels(names)) === total) return { decided, last: performance.now() - t0 }
			await new Promise((r) => setTimeout(r, 100))
		}
	}
	try {
		// Setup, not measured: the accounts are provisioned through the normal job (fast: the
		// nodes' limit is lifted for it), so each disable later is exactly one write.
		await prisma.node.updateMany({ where: { id: { in: nodeIds } }, data: { rateLimitPerSec: 100 } })
		await prisma.$executeRaw`select graphile_worker.add_job('reconcile_customer', json_build_object('customerId', id), job_key := 'customer:' || id) from customers where reseller_id in (${wallet.id}::int, ${pool.id}::int)`
		const setupUntil = performance.now() + 600_000
		while (await queued()) {
			if (performance.now() > setupUntil) throw new Error('setup: accounts not provisioned in 600 s')
			await new Promise((r) => setTimeout(r, 200))
		}
		const made = await prisma.subAccount.count({ where: { nodeId: { in: nodeIds }, state: 'active' } })
		if (made !== NODES * PER) throw new Error(`setup: ${made} of ${NODES * PER} accounts provisioned`)
		await prisma.node.updateMany({ where: { id: { in: nodeIds } }, data: { rateLimitPerSec: null } })
		await prisma.$executeRaw`update nodes set rate_next_at = null, rate_deferred_until = null`

		// 1. 100 customers cross their own quota at once (10 per node): traffic, then the cron tick.
		let t0 = performance.now()
		for (const s of sims) await remoteControl(s.url, 'addTraffic', { bytes: MB })
		await enqueueNodeSyncs()
		const crossing = await watch(t0, wallet.id, 'limited', 180_000)
		const early = await prisma.reseller.findUniqueOrThrow({ where: { id: pool.id } })
		if (early.poolBytes <= 0n) throw new Error('the pool ran out in the first step')
		const crossingBound = crossing.decided + (CROSSING_PER_NODE * 1000) / perSec

		// 2. The pool reseller's pool runs out: every one of his customers is disabled.
		t0 = performance.now()
		for (const s of sims) await remoteControl(s.url, 'addTraffic', { bytes: MB })
		await enqueueNodeSyncs()
		const exhausted = await watch(t0, pool.id, 'disabled', 900_000)
		const poolBound = exhausted.decided + (POOL_PER_NODE * 1000) / perSec
		const left = await prisma.reseller.findUniqueOrThrow({ where: { id: pool.id } })
		if (left.poolBytes > 0n) throw new Error(`pool not exhausted (${left.poolBytes} B left): the figure would measure nothing`)

		return [
			figure('enforce', `${NODES * CROSSING_PER_NODE} over quota at once (${NODES} nodes, ${perSec}/s): all decided`, crossing.decided, 'ms', null),
			figure('enforce', `${NODES * CROSSING_PER_NODE} over quota: last disabled on his panel (baseline = rate-limit bound)`, crossing.last, 'ms', crossingBound, '≤ 1.5 × bound'),
			figure('enforce', `pool exhausted, ${NODES * POOL_PER_NODE} customers: all decided`, exhausted.decided, 'ms', null),
			figure('enforce', `pool exhausted, ${NODES * POOL_PER_NODE} customers: last disabled on his panel (baseline = rate-limit bound)`, exhausted.last, 'ms', poolBound, '≤ 1.2 × bound'),
		]
	} finally {
		await worker.stop()
		for (const a of adapters.values()) await a.close?.()
	}
}
