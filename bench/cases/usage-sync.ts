// The usage pipeline at 100k customers on 10 simulated nodes (two of each kind, zero latency, in
// their own process like remote panels). Bars (MISSION §8): a full sync round ≤ 10 s on 2 cores;
// an over-quota customer disabled on his panel ≤ 30 s after crossing. Every figure is checked
// against the database (or the panels) before it is reported: a round that counted nothing throws.
import { spawn } from 'node:child_process'
import { remoteControl } from '../../sim/base'
import { SIM_CREDENTIALS } from '../../sim/start-all'
import { benchDatabase } from '../env'
import { figure, type BenchCase } from '../types'

const N = Number(process.env.BENCH_USAGE_CUSTOMERS || 100_000)
const NODES = 10
const PER = Math.floor(N / NODES)
const CROSSING_PER_NODE = 10 // 100 over-quota customers in all
type Crossing = { nodeId: number; url: string; name: string; customerId: number }
type SimInfo = { kind: 'marzban' | 'pasarguard' | 'marzneshin' | 'wgdashboard' | 'routeros'; url: string }

function startSims(): Promise<{ sims: SimInfo[]; stop(): Promise<void> }> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'bench/usage-sims.ts'], { env: { ...process.env, PER: String(PER) }, stdio: ['ignore', 'pipe', 'inherit'] })
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

/** The seeded account name of customer g (1-based) on a node of this kind (see bench/usage-sims.ts). */
const seededName = (kind: SimInfo['kind'], g: number) => (kind === 'wgdashboard' || kind === 'routeros' ? `b-${g - 1}` : `b_${g}`)

export const usageSync: BenchCase = {
	name: 'usage',
	description: `usage sync: ${N} customers on ${NODES} simulated nodes — full round, list-only baseline, over-quota → disabled on the panel`,
	async run() {
		const db = await benchDatabase()
		let peakRss = 0
		const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20)
		const { sims, stop } = await startSims()
		try {
			return await measure(db.url, sims, () => peakRss)
		} finally {
			clearInterval(sample)
			await stop()
		}
	},
}

async function measure(dbUrl: string, sims: SimInfo[], peak: () => number) {
	const { prisma } = await import('~/utils/db.server')
	const { createNode } = await import('~/services/nodes.server')
	const { post } = await import('~/services/billing/ledger.server')
	const { createAdapter } = await import('~/services/panels/index.server')
	const { nodeConnection } = await import('~/models/node.server')
	const { enqueueNodeSyncs } = await import('~/services/usage/sync.server')
	const { run, runOnce } = await import('graphile-worker')
	const { taskList } = await import('../../worker/tasks/index')
	const { quietLogger } = await import('../../worker/schema')

	// Nodes through the admin's own path (each is connection-tested first).
	const admin = await prisma.user.create({ data: { username: `bench_usage_admin_${Date.now()}`, role: 'admin', passwordHash: 'x' } })
	const nodeIds: number[] = []
	for (const [i, s] of sims.entries()) {
		const creds = s.kind === 'pasarguard' ? { apiKey: SIM_CREDENTIALS.pasarguardApiKey } : s.kind === 'wgdashboard' ? { apiKey: SIM_CREDENTIALS.wgdashboardApiKey } : s.kind === 'routeros' ? SIM_CREDENTIALS.routeros : SIM_CREDENTIALS.xray
		const r = await createNode({ name: `bench-${s.kind}-${i}`, kind: s.kind, baseUrl: s.url, transport: 'rest', tls: false, verifyTls: false, usageMultiplier: '1', selected: [], wgEndpoint: 'vpn.example.com:51820', ...creds } as never, admin.id)
		if (!r.ok) throw new Error(`node ${s.kind}: ${JSON.stringify(r)}`)
		nodeIds.push(r.nodeId)
	}
	// Half the nodes' customers belong to a traffic-pool reseller (charged per batch), half to a wallet one.
	const reseller = async (fundingModel: 'pool' | 'wallet') => {
		const user = await prisma.user.create({ data: { username: `bench_usage_${fundingModel}_${Date.now()}`, role: 'reseller', passwordHash: 'x' } })
		return prisma.reseller.create({ data: { userId: user.id, name: user.username, fundingModel, allowConfigOverrun: false } })
	}
	const pool = await reseller('pool')
	const wallet = await reseller('wallet')
	await prisma.$transaction((tx) => post(tx, { resellerId: pool.id, account: 'traffic', amount: 10n ** 15n, kind: 'top_up', idempotencyKey: `bench-usage-${pool.id}` }))
	for (const [i, s] of sims.entries()) {
		const wg = s.kind === 'wgdashboard' || s.kind === 'routeros'
		await prisma.$executeRaw`
			with c as (
				insert into customers (reseller_id, username, data_limit_bytes, expire_at, sub_token, updated_at)
				select ${i % 2 ? wallet.id : pool.id}, 'n' || ${i}::int || '_' || g, 107374182400, now() + interval '30 days', md5(random()::text || g || ${i}::int), now()
				from generate_series(1, ${PER}::int) g
				returning id, split_part(username, '_', 2)::int as g
			)
			insert into sub_accounts (customer_id, node_id, remote_username, state, updated_at)
			select id, ${nodeIds[i]!}, case when ${wg} then 'b-' || (g - 1) else 'b_' || g end, 'active', now() from c`
	}
	await prisma.$executeRawUnsafe('analyze')
	const total = async () => (await prisma.$queryRaw<Array<{ s: bigint | null }>>`select sum(used_bytes)::bigint as s from customers`)[0]!.s ?? 0n

	// Baseline: the same data listed through the adapters only (all nodes at once), no accounting.
	const listStart = performance.now()
	const listed = await Promise.all(nodeIds.map(async (id) => {
		const adapter = createAdapter(await nodeConnection(id))
		let n = 0
		let cursor: string | null = null
		do {
			const page = await adapter.listAccounts(cursor, 1000)
			n += page.accounts.length
			cursor = page.nextCursor
		} while (cursor)
		await adapter.close?.()
		return n
	}))
	const listMs = performance.now() - listStart
	if (listed.reduce((a, b) => a + b, 0) < NODES * PER) throw new Error(`baseline listed ${listed} of ${NODES * PER}`)

	// One full round = the cron fan-out + every node's sync job, through graphile-worker.
	const round = async (bytesEach: number) => {
		for (const s of sims) await remoteControl(s.url, 'addTraffic', { bytes: bytesEach })
		const before = await total()
		const since = new Date()
		const t = performance.now()
		await enqueueNodeSyncs()
		await runOnce({ connectionString: dbUrl, taskList, concurrency: NODES, logger: quietLogger() })
		const ms = performance.now() - t
		const runs = await prisma.taskRun.findMany({ where: { task: 'sync_node_usage', startedAt: { gte: since } } })
		const counted = (await total()) - before
		if (runs.length !== NODES || runs.some((r) => r.error)) throw new Error(`round: ${runs.length} runs, errors ${runs.map((r) => r.error).filter(Boolean).join('; ')}`)
		if (counted !== BigInt(NODES * PER) * BigInt(bytesEach)) throw new Error(`round counted ${counted}, expected ${NODES * PER * bytesEach}: the figure would measure nothing`)
		return ms
	}
	const first = await round(1_000_000)
	const second = await round(250_000)
	const pooled = await prisma.reseller.findUniqueOrThrow({ where: { id: pool.id } })
	const charged = 10n ** 15n - pooled.poolBytes
	if (charged !== BigInt((NODES / 2) * PER) * 1_250_000n) throw new Error(`pool charged ${charged}`)

	// One customer alone (the bar as written), then 100 at once: 10 per node, one more on the first.
	const crossing: Crossing[] = []
	for (const [i, s] of sims.entries()) {
		const take = CROSSING_PER_NODE + (i === 0 ? 1 : 0)
		const subs = await prisma.subAccount.findMany({ where: { nodeId: nodeIds[i]! }, orderBy: { id: 'asc' }, take, select: { customerId: true, remoteUsername: true } })
		for (const sub of subs) crossing.push({ nodeId: nodeIds[i]!, url: s.url, name: sub.remoteUsername, customerId: sub.customerId })
		if (subs.length < take || subs[0]!.remoteUsername !== seededName(s.kind, 1)) throw new Error('crossing customers not found')
	}

	// Over-quota crossing → disabled on the panel, with a worker running as in production: the
	// crossing happens, the next cron tick fans out the syncs, enforcement queues the panel work.
	const worker = await run({ connectionString: dbUrl, taskList, concurrency: NODES, pollInterval: 100, noHandleSignals: true, logger: quietLogger() })
	const adapters = new Map(await Promise.all(nodeIds.map(async (id) => [id, createAdapter(await nodeConnection(id))] as const)))
	/** ms from the crossing until each customer was seen disabled on his panel. */
	const queuedPanelWork = async () => (await prisma.$queryRaw<Array<{ key: string }>>`select key from graphile_worker.jobs where key like 'customer:%'`).map((j) => j.key)
	const cross = async (who: Crossing[]) => {
		const t0 = performance.now()
		for (const s of sims) {
			const mine = who.filter((c) => c.url === s.url)
			if (mine.length) await remoteControl(s.url, 'addTraffic', { bytes: Object.fromEntries(mine.map((c) => [c.name, 1_000_000])) })
		}
		await enqueueNodeSyncs() // the cron tick that follows the crossing
		const seen: number[] = []
		let pending = who
		while (pending.length) {
			if (performance.now() - t0 > 180_000) throw new Error(`${pending.length} over-quota customers still enabled after 180 s (is evaluateCustomers implemented?)`)
			await new Promise((r) => setTimeout(r, 50))
			// Ask the panel only about customers whose panel work is no longer queued (light polling:
			// the measurement must not load the simulators it measures).
			const queued = new Set(await queuedPanelWork())
			const ready = pending.filter((c) => !queued.has(`customer:${c.customerId}`))
			const states = await Promise.all(ready.map((c) => adapters.get(c.nodeId)!.getAccount({ username: c.name }).then((a) => a.status)))
			const off = new Set(ready.filter((_, i) => states[i] === 'disabled'))
			for (const _ of off) seen.push(performance.now() - t0)
			pending = pending.filter((c) => !off.has(c))
		}
		const limited = await prisma.customer.count({ where: { id: { in: who.map((c) => c.customerId) }, status: 'limited' } })
		if (limited !== who.length) throw new Error(`${limited} of ${who.length} crossing customers limited`)
		return seen.sort((a, b) => a - b)
	}
	let one: number[]
	let hundred: number[]
	try {
		// Setup, not measured: the crossing customers get a limit 0.5 MB above their usage, pushed to
		// their panels as provisioning would have done, so the crossing needs only the disable.
		const ids = crossing.map((c) => c.customerId)
		await prisma.$executeRaw`update customers set data_limit_bytes = used_bytes + 500000 where id = any(${ids}::int[])`
		await prisma.$executeRaw`select graphile_worker.add_job('reconcile_customer', json_build_object('customerId', id), job_key := 'customer:' || id) from unnest(${ids}::int[]) id`
		const setupUntil = performance.now() + 300_000
		while ((await queuedPanelWork()).length) {
			if (performance.now() > setupUntil) throw new Error('setup: limits not pushed to the panels in 300 s')
			await new Promise((r) => setTimeout(r, 200))
		}
		one = await cross(crossing.slice(0, 1))
		hundred = await cross(crossing.slice(1))
	} finally {
		await worker.stop()
		for (const a of adapters.values()) await a.close?.()
	}
	const at = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * q))]!

	return [
		figure('usage', `full round ${N / 1000}k accounts / ${NODES} nodes (first: every counter moves)`, first, 'ms', listMs, '≤ 10000 ms'),
		figure('usage', 'full round (second)', second, 'ms', listMs, '≤ 10000 ms'),
		figure('usage', 'accounts accounted per second (second round)', (NODES * PER) / (second / 1000), 'acc/s', (NODES * PER) / (listMs / 1000)),
		figure('usage', 'one customer over quota → disabled on his panel', one[0]!, 'ms', null, '≤ 30000 ms'),
		figure('usage', `${hundred.length} at once (10 nodes): first disabled`, hundred[0]!, 'ms', null),
		figure('usage', `${hundred.length} at once: median`, at(hundred, 0.5), 'ms', null),
		figure('usage', `${hundred.length} at once: last`, hundred[hundred.length - 1]!, 'ms', null, '≤ 30000 ms'),
		figure('usage', 'peak RSS of the hub process', peak() / 2 ** 20, 'MiB', null),
	]
}
