// Issue 8 §3 "burst": 200 concurrent create-customer confirms by one reseller, over HTTP to the
// production server in its own process (node on the Marzban simulator; the worker is off, so the
// figure is the execute itself: re-pricing, order, job, ledger). Beside it, in the same run, the
// same number of bare guarded-UPDATE transactions through a pg pool of the hub's size — the floor
// of "one reseller row, 200 writers". Bars: no answer outside 2xx/3xx, p99 < 2 s on 2 cores.
// The server runs as `npm start` would with WEB_CONCURRENCY=2 (BENCH_BURST_WEB), one per core, and
// has answered a first burst of BENCH_BURST_WARM confirms (not measured) before the measured one.
import pg from 'pg'
import { Pool } from 'undici'
import { startChild } from '../child'
import { benchDatabase, ensureBuild } from '../env'
import { postmasterPid, treeCpuMs } from '../proc-cpu'
import { figure, type BenchCase } from '../types'

const N = Number(process.env.BENCH_BURST || 200)
const WEB = Number(process.env.BENCH_BURST_WEB || 2)
// A server that has answered before: a first burst, not measured, warms each web process's JIT
// and connection pools (a production server does not meet its first request in a burst).
const WARM = Number(process.env.BENCH_BURST_WARM ?? 50)

function percentile(sorted: number[], p: number) {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
}

async function timedAll(n: number, one: (i: number) => Promise<number>) {
	const latencies: number[] = []
	const statuses: number[] = []
	const start = performance.now()
	await Promise.all(
		Array.from({ length: n }, async (_, i) => {
			const t = performance.now()
			statuses.push(await one(i).catch(() => -1))
			latencies.push(performance.now() - t)
		}),
	)
	const elapsed = performance.now() - start
	latencies.sort((a, b) => a - b)
	return { opsPerSec: (n / elapsed) * 1000, p50: percentile(latencies, 50), p99: percentile(latencies, 99), statuses }
}

export const burstBench: BenchCase = {
	name: 'burst',
	description: `${N} concurrent create confirms by one reseller (${WEB} web processes, after ${WARM} not measured) vs ${N} bare guarded UPDATE transactions`,
	async run() {
		ensureBuild()
		const db = await benchDatabase()
		const { prisma } = await import('~/utils/db.server')
		const { hashPassword } = await import('~/utils/password.server')
		const { createSession } = await import('~/utils/auth.server')
		const { sealSecrets } = await import('~/models/node.server')
		const { post } = await import('~/services/billing/ledger.server')
		const { createQuote } = await import('~/services/billing/quotes.server')
		const { confirmFieldsOf } = await import('~/models/customer-form')
		const { startMarzbanSim } = await import('../../sim/marzban')
		const { SIM_CREDENTIALS } = await import('../../sim/start-all')

		const sim = await startMarzbanSim({})
		const node = await prisma.node.create({ data: { name: `burst ${Date.now()}`, kind: 'marzban', baseUrl: sim.url, tls: false, verifyTls: false, secrets: sealSecrets(SIM_CREDENTIALS.xray), health: 'ok' } })
		const user = await prisma.user.create({ data: { username: `bench_burst_${Date.now()}`, role: 'reseller', passwordHash: await hashPassword('x'.repeat(12)) } })
		const reseller = await prisma.reseller.create({ data: { userId: user.id, name: 'bench burst', pricePerGb: 100n, pricePerDay: 10n, allocations: { create: [{ nodeId: node.id }] } } })
		await prisma.$transaction((tx) => post(tx, { resellerId: reseller.id, account: 'money', amount: BigInt(N + WARM) * 1000n, kind: 'adjustment_credit', refType: 'adjustment', idempotencyKey: `bench-burst-${reseller.id}` }))
		const cookie = (await createSession(user.id, new Request('http://bench/'))).split(';')[0]!
		const quotes: Array<Awaited<ReturnType<typeof createQuote>>> = []
		for (let i = 0; i < N; i++) quotes.push(await createQuote(user.id, { kind: 'create', username: `burst_${i}`, nodeIds: [node.id], gb: 1, days: 1 }))
		const warmQuotes: typeof quotes = []
		for (let i = 0; i < WARM; i++) warmQuotes.push(await createQuote(user.id, { kind: 'create', username: `warm_${i}`, nodeIds: [node.id], gb: 1, days: 1 }))

		const app = await startChild('hub', { WEB_CONCURRENCY: String(WEB) })
		const http = new Pool(app.url, { connections: N })
		const pgPid = postmasterPid(process.env.BENCH_PG_DIR || '.data/pg-bench')
		const confirm = async (q: (typeof quotes)[number]) => {
			const body = new URLSearchParams([['intent', 'execute'], ['quoteId', q.id], ['idempotencyKey', `bench-${q.id}`], ...confirmFieldsOf(q.inputs as never)])
			const res = await http.request({ path: '/reseller/customers/new', method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() })
			await res.body.dump()
			return res.statusCode
		}
		const warm = await timedAll(WARM, (i) => confirm(warmQuotes[i]!))
		if (warm.statuses.some((s) => s !== 302)) throw new Error(`the warm-up burst was refused: ${warm.statuses.join(',')}`)
		const stats = process.env.PG_STAT_STATEMENTS === '1' ? await statementStats(db.url) : null
		const cpuBefore = { hub: treeCpuMs(app.pid), db: pgPid && treeCpuMs(pgPid) }
		const hub = await timedAll(N, (i) => confirm(quotes[i]!))
		const cpuAfter = { hub: treeCpuMs(app.pid), db: pgPid && treeCpuMs(pgPid) }
		await stats?.print(N)
		await http.close()
		await app.stop()
		await sim.close()

		// The floor: the same number of one-row guarded updates, each in its own transaction.
		const floorReseller = await prisma.reseller.create({ data: { userId: (await prisma.user.create({ data: { username: `bench_floor_${Date.now()}`, role: 'reseller', passwordHash: 'x' } })).id, name: 'floor', balance: BigInt(N) * 1000n } })
		const pool = new pg.Pool({ connectionString: db.url, max: 10 })
		const bare = await timedAll(N, async () => {
			const c = await pool.connect()
			try {
				await c.query('begin')
				await c.query('update resellers set balance = balance - 110 where id = $1 and balance - 110 >= -credit_limit returning balance', [floorReseller.id])
				await c.query('commit')
				return 200
			} finally {
				c.release()
			}
		})
		await pool.end()

		const created = await prisma.customer.count({ where: { resellerId: reseller.id, username: { startsWith: 'burst_' } } })
		const byStatus = new Map<number, number>()
		for (const s of hub.statuses) byStatus.set(s, (byStatus.get(s) ?? 0) + 1)
		const failed = hub.statuses.filter((s) => s < 200 || s >= 400).length
		if (!created) throw new Error(`no customer was created (statuses ${JSON.stringify([...byStatus])}): the figure would measure refusals`)
		return [
			figure('burst', `${N} confirms: throughput (${WEB} web processes)`, hub.opsPerSec, 'ops/s', bare.opsPerSec),
			figure('burst', 'confirm p50', hub.p50, 'ms', bare.p50),
			figure('burst', 'confirm p99', hub.p99, 'ms', bare.p99, '< 2000 ms'),
			figure('burst', `answers outside 2xx/3xx (by status: ${[...byStatus].map(([s, n]) => `${s}×${n}`).join(' ')})`, failed, 'count', null, '0'),
			figure('burst', 'customers created', created, 'count', N),
			// CPU per confirm barely moves with other load on the machine, unlike the latencies above.
			...(cpuBefore.hub != null && cpuAfter.hub != null ? [figure('burst', 'server CPU per confirm (all web processes)', (cpuAfter.hub - cpuBefore.hub) / N, 'ms', null)] : []),
			...(cpuBefore.db && cpuAfter.db ? [figure('burst', 'Postgres CPU per confirm', (cpuAfter.db - cpuBefore.db) / N, 'ms', null)] : []),
		]
	},
}

/** PG_STAT_STATEMENTS=1: the statements of the burst by time per confirm (diagnosis, not a figure). */
async function statementStats(url: string) {
	const c = new pg.Client({ connectionString: url })
	await c.connect()
	await c.query('create extension if not exists pg_stat_statements')
	await c.query('select pg_stat_statements_reset()')
	return {
		async print(n: number) {
			const { rows } = await c.query(`select round(((total_exec_time + total_plan_time) / $1)::numeric, 3) as ms_per_confirm, round((total_plan_time / $1)::numeric, 3) as plan_ms, calls, toplevel, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) as query
				from pg_stat_statements order by total_exec_time + total_plan_time desc limit 30`, [n])
			console.table(rows)
			await c.end()
		},
	}
}
