// `npm run bench -- scale` (issue 16): the hub at BENCH_SCALE_N customers (default 1,000,000; the
// lead runs that on a quiet machine — try BENCH_SCALE_N=50000 first) on BENCH_SCALE_NODES
// simulated nodes (50, the five kinds in turn, zero latency, in their own process), seeded by
// bench/seed-scale.ts. The usage round runs in BENCH_SCALE_WORKERS real worker processes
// (`npm run worker`'s entry, WORKER_CONCURRENCY each), the HTTP figures against the production
// server with BENCH_SCALE_WEB web processes, loaded from a process of its own. Every figure is
// checked before it is reported (a round that counted nothing throws). Beside the bars, the
// growth figures docs/scaling.md extrapolates from: table and index sizes, WAL per round.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { readFileSync } from 'node:fs'
import type { ServerBuild } from '@remix-run/node'
import pg from 'pg'
import { remoteControl } from '../../sim/base'
import { SIM_CREDENTIALS } from '../../sim/start-all'
import { startChild } from '../child'
import { benchDatabase, ensureBuild } from '../env'
import { postgresCpuByRole, postmasterPid, treeCpuMs } from '../proc-cpu'
import { timeP95 } from '../p95'
import { seedScale } from '../seed-scale'
import { figure, type BenchCase, type Figure } from '../types'
import { loadFromChild } from './scale-loadgen'

const N = Number(process.env.BENCH_SCALE_N || 1_000_000)
const NODES = Number(process.env.BENCH_SCALE_NODES || 50)
const WORKERS = Number(process.env.BENCH_SCALE_WORKERS || 2)
const CONCURRENCY = Number(process.env.BENCH_SCALE_CONCURRENCY || 5)
const WEB = Number(process.env.BENCH_SCALE_WEB || 2)
const PER = Math.floor(N / NODES)
/** BENCH_SCALE_ROUND_ONLY=1: seed, listing and the two rounds only (iterating on the round's cost). */
const ROUND_ONLY = process.env.BENCH_SCALE_ROUND_ONLY === '1'
const label = N >= 1_000_000 ? `${N / 1_000_000}M` : `${N / 1000}k`
type Kind = 'marzban' | 'pasarguard' | 'marzneshin' | 'wgdashboard' | 'routeros'
type SimInfo = { kind: Kind; url: string }
const wireguard = (k: Kind) => k === 'wgdashboard' || k === 'routeros'

function spawnReady<T>(args: string[], env: Record<string, string>, ready: RegExp, parse: (m: RegExpExecArray) => T, nodeFlags: string[] = []) {
	// A built .js entry (the worker bundle) runs as production runs it, without tsx's loader.
	const loader = args[0]?.endsWith('.js') ? [] : ['--import', 'tsx']
	const child = spawn(process.execPath, [...nodeFlags, ...loader, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
	return new Promise<{ value: T; pid: number; stop(): Promise<void> }>((resolve, reject) => {
		let out = ''
		child.stdout.on('data', (d) => {
			out += d
			const m = ready.exec(out)
			if (m) resolve({ value: parse(m), pid: child.pid!, stop: () => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', () => r()), child.kill('SIGTERM')))) })
		})
		child.once('exit', (code) => reject(new Error(`${args[0]} exited (${code}) before it was ready`)))
	})
}

// What `npm run worker` runs in production (decision 033): the bundle `npm run build` writes.
const WORKER_ENTRY = 'build/worker/index.js'

/** Peak resident memory of a process so far (Linux VmHWM), in MiB; null without /proc. */
function peakRssMiB(pid: number) {
	try {
		const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
		return m ? Number(m[1]) / 1024 : null
	} catch {
		return null
	}
}

export const scaleBench: BenchCase = {
	name: 'scale',
	description: `${N} customers on ${NODES} nodes: seed, usage round in ${WORKERS} worker processes vs listing, over quota → disabled, /sub and signed-in pages vs bare node:http + pg, reseller search`,
	async run() {
		ensureBuild()
		const db = await benchDatabase()
		const sims = await spawnReady(['bench/cases/scale-sims.ts'], { NODES: String(NODES), PER: String(PER) }, /READY (\[.*\])\n/, (m) => JSON.parse(m[1]!) as SimInfo[])
		try {
			return await measure(db.url, sims.value, sims.pid)
		} finally {
			await sims.stop()
		}
	},
}

async function measure(url: string, sims: SimInfo[], simsPid: number): Promise<Figure[]> {
	const { prisma } = await import('~/utils/db.server')
	const { createNode } = await import('~/services/nodes.server')
	const { createAdapter } = await import('~/services/panels/index.server')
	const { nodeConnection, connectionOf, nodeParams, openSecrets } = await import('~/models/node.server')
	// Printed as they come: a later part failing (a busy machine) keeps the earlier figures.
	const figures: Figure[] = []
	const report = (...f: Figure[]) => {
		for (const x of f) console.log(`  ${x.metric}: ${x.value} ${x.unit}${x.baseline == null ? '' : ` (baseline ${x.baseline})`}`)
		figures.push(...f)
	}
	const sql = new pg.Pool({ connectionString: url, max: 2 })
	const one = async <T>(text: string, values: unknown[] = []) => (await sql.query(text, values)).rows[0] as T

	// Nodes through the admin's own path (each is connection-tested first), then the seed.
	const admin = await prisma.user.create({ data: { username: `bench_scale_admin_${Date.now()}`, role: 'admin', passwordHash: 'x' } })
	const nodes: Array<{ id: number; kind: Kind; url: string }> = []
	for (const [i, s] of sims.entries()) {
		const creds = s.kind === 'pasarguard' ? { apiKey: SIM_CREDENTIALS.pasarguardApiKey } : s.kind === 'wgdashboard' ? { apiKey: SIM_CREDENTIALS.wgdashboardApiKey } : s.kind === 'routeros' ? SIM_CREDENTIALS.routeros : SIM_CREDENTIALS.xray
		const r = await createNode({ name: `scale-${s.kind}-${i}`, kind: s.kind, baseUrl: s.url, transport: 'rest', tls: false, verifyTls: false, usageMultiplier: '1', selected: [], wgEndpoint: 'vpn.example.com:51820', ...creds } as never, admin.id)
		if (!r.ok) throw new Error(`node ${s.kind}: ${JSON.stringify(r)}`)
		nodes.push({ id: r.nodeId, kind: s.kind, url: s.url })
	}
	const seed = await seedScale(url, N, nodes.map((n) => ({ id: n.id, wireguard: wireguard(n.kind) })), (s) => process.env.BENCH_VERBOSE && console.log(s))
	report(figure('scale', `seed ${label} customers + sub-accounts (insert … select generate_series)`, seed.ms / 1000, 's', null, '≤ 120 s'))
	const hotStats = async () => Object.fromEntries((await sql.query(`select relname, n_tup_upd::float8 as upd, n_tup_hot_upd::float8 as hot, (autovacuum_count + autoanalyze_count)::float8 as av from pg_stat_user_tables where relname in ('customers', 'sub_accounts', 'usage_daily')`)).rows.map((r) => [r.relname as string, { upd: r.upd as number, hot: r.hot as number, av: r.av as number }])) as Record<string, { upd: number; hot: number; av: number }>
	const total = async () => BigInt((await one<{ s: string | null }>(`select sum(used_bytes)::text as s from customers`)).s ?? 0)

	// Baseline: the same accounts listed through the adapters only, no accounting, as many nodes at
	// once as the round syncs (WORKERS × CONCURRENCY), with the sync's own 30 s request timeout.
	const listStart = performance.now()
	const listCpu0 = { bench: cpuOfThisProcess(), sims: treeCpuMs(simsPid) ?? 0 }
	const queue = [...nodes]
	let listed = 0
	await Promise.all(Array.from({ length: WORKERS * CONCURRENCY }, async () => {
		for (let n = queue.shift(); n; n = queue.shift()) {
			const row = await prisma.node.findUniqueOrThrow({ where: { id: n.id } })
			const adapter = createAdapter(connectionOf(nodeParams(row), openSecrets(row.secrets), 30_000))
			let cursor: string | null = null
			do {
				const page = await adapter.listAccounts(cursor, 1000)
				listed += page.accounts.length
				cursor = page.nextCursor
			} while (cursor)
			await adapter.close?.()
		}
	}))
	const listMs = performance.now() - listStart
	if (listed < NODES * PER) throw new Error(`baseline listed ${listed} of ${NODES * PER}`)
	// The listing's own CPU: what the round's workers spend beyond it is the accounting's.
	report(
		figure('scale', 'listing CPU: the listing process (adapters only)', Math.round((cpuOfThisProcess() - listCpu0.bench) / 10) / 100, 's', null),
		figure('scale', 'listing CPU: simulators', Math.round(((treeCpuMs(simsPid) ?? 0) - listCpu0.sims) / 10) / 100, 's', null),
	)

	// The round in real worker processes: the cron fan-out job, then every node's sync job. Their
	// crontab is off: the bench adds each tick itself, so a round slower than the cron interval (a
	// loaded machine) cannot keep queueing the next one and the waits below end.
	const workers = await Promise.all(Array.from({ length: WORKERS }, () =>
		spawnReady([WORKER_ENTRY], { WORKER_CONCURRENCY: String(CONCURRENCY), LOG_LEVEL: 'warn', WORKER_CRON: 'false' }, /worker started/, () => null, workerProfile())))
	const pgPid = postmasterPid(process.env.BENCH_PG_DIR || '.data/pg-bench')
	const cpuNow = (): CpuSnapshot => ({
		workers: workers.reduce((sum, w) => sum + (treeCpuMs(w.pid) ?? 0), 0),
		postgres: pgPid ? treeCpuMs(pgPid) ?? 0 : 0,
		sims: treeCpuMs(simsPid) ?? 0,
		bench: cpuOfThisProcess(),
	})
	const cpuSince = (a: CpuSnapshot): CpuSnapshot => {
		const b = cpuNow()
		return { workers: b.workers - a.workers, postgres: b.postgres - a.postgres, sims: b.sims - a.sims, bench: b.bench - a.bench }
	}
	try {
		// Jobs queued before the round (each node's first sync, queued when it was created) must be
		// done first: otherwise a node synced twice makes "every node finished" true while another
		// node's sync is still writing, and the round would be timed short.
		const drained = async () => {
			for (const t = performance.now(); ; await new Promise((res) => setTimeout(res, 50))) {
				const q = await one<{ n: string }>(`select count(*)::text as n from graphile_worker.jobs where task_identifier in ('sync_all_nodes', 'sync_node_usage')`)
				if (q.n === '0') return
				if (performance.now() - t > 600_000) throw new Error(`${q.n} sync jobs still queued after 600 s`)
			}
		}
		const round = async (bytesEach: number) => {
			await drained()
			for (const s of sims) await remoteControl(s.url, 'addTraffic', { bytes: bytesEach })
			const before = await total()
			const wal0 = await one<{ lsn: string }>(`select pg_current_wal_lsn()::text as lsn`)
			const daily0 = await one<{ n: string }>(`select count(*)::text as n from usage_daily`)
			const hot0 = await hotStats()
			const statements = process.env.PG_STAT_STATEMENTS === '1' ? await statementStats(sql) : null
			const cpu0 = cpuNow()
			const roles0 = pgPid ? postgresCpuByRole(pgPid) : {}
			const since = new Date()
			const t = performance.now()
			await sql.query(`select graphile_worker.add_job('sync_all_nodes', '{}'::json)`)
			for (;;) {
				const r = await one<{ done: string; failed: string; queued: string }>(`select count(distinct node_id) filter (where finished_at is not null)::text as done, count(*) filter (where error is not null)::text as failed,
					(select count(*) from graphile_worker.jobs where task_identifier in ('sync_all_nodes', 'sync_node_usage'))::text as queued
					from task_runs where task = 'sync_node_usage' and started_at >= $1`, [since])
				if (Number(r.failed)) throw new Error(`round: ${r.failed} node syncs failed`)
				if (Number(r.done) >= NODES && r.queued === '0') break
				if (performance.now() - t > 600_000) throw new Error(`round: ${r.done} of ${NODES} nodes after 600 s`)
				await new Promise((res) => setTimeout(res, 50))
			}
			const ms = performance.now() - t
			const cpu = cpuSince(cpu0)
			// Diagnosis: Postgres's CPU by process role. A process that exited during the round (an
			// autovacuum worker) moves from its role to `exited`: read those two together.
			const roles1 = pgPid ? postgresCpuByRole(pgPid) : {}
			console.log(`  Postgres CPU by role (round ${bytesEach}): ${Object.keys({ ...roles0, ...roles1 }).map((k) => `${k} ${((roles1[k] ?? 0) - (roles0[k] ?? 0)) / 1000} s`).join(', ')}`)
			await statements?.print()
			const wal = await one<{ bytes: string }>(`select pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::text as bytes`, [wal0.lsn])
			// Backends publish their table statistics at most every 10 s when idle (pgstat): wait
			// that out so the HOT share below covers this round's updates.
			await new Promise((res) => setTimeout(res, 11_000))
			const hot1 = await hotStats()
			const counted = (await total()) - before
			if (counted !== BigInt(NODES * PER) * BigInt(bytesEach)) throw new Error(`round counted ${counted}, expected ${NODES * PER * bytesEach}: the figure would measure nothing`)
			const daily = await one<{ n: string }>(`select count(*)::text as n from usage_daily`)
			const hot = Object.fromEntries(Object.keys(hot1).map((k) => [k, (hot1[k]!.hot - (hot0[k]?.hot ?? 0)) / Math.max(1, hot1[k]!.upd - (hot0[k]?.upd ?? 0))]))
			// Autovacuum / autoanalyze runs during the round and the 11 s after it (diagnosis, printed).
			console.log(`  autovacuum+autoanalyze runs (round ${bytesEach}): ${Object.keys(hot1).map((k) => `${k} ${hot1[k]!.av - (hot0[k]?.av ?? 0)}`).join(', ')}`)
			return { ms, cpu, walBytes: Number(wal.bytes), dailyRows: Number(daily.n) - Number(daily0.n), hot }
		}
		const first = await round(1_000_000)
		const second = await round(250_000)
		const rss = workers.map((w) => peakRssMiB(w.pid)).filter((x): x is number => x != null)
		report(
			figure('scale', `full usage round, ${label} accounts / ${NODES} nodes, ${WORKERS}×${CONCURRENCY} jobs (first)`, first.ms, 'ms', listMs, '≤ 30000 ms and ≤ 3 × listing'),
			figure('scale', 'full usage round (second)', second.ms, 'ms', listMs, '≤ 30000 ms and ≤ 3 × listing'),
			...(rss.length ? [figure('scale', 'peak RSS of a worker process (VmHWM)', Math.max(...rss), 'MiB', null, '≤ 300 MiB')] : []),
			// Where the 2 cores go during the round (CPU ms summed over the round, per process group):
			// unlike the wall time, barely moved by other load on the machine.
			...cpuFigures('first', first.cpu),
			...cpuFigures('second', second.cpu),
			figure('scale', 'WAL written per round (second)', second.walBytes / 2 ** 20, 'MiB', null),
			figure('scale', 'WAL per changed account', second.walBytes / (NODES * PER), 'bytes', null),
			figure('scale', 'usage_daily rows added by the first round of a day', first.dailyRows, 'rows', NODES * PER),
			// HOT: an update that stays on its page and writes no index entry (decision 028).
			...Object.entries(second.hot).map(([table, share]) => figure('scale', `HOT share of ${table} updates (second round)`, Math.round(share * 1000) / 10, '%', null)),
		)

		if (ROUND_ONLY) return figures
		// One customer over quota → disabled on his panel, with the workers running as in production.
		const c = await one<{ customer_id: number; remote_username: string; node_id: number }>(`select customer_id, remote_username, node_id from sub_accounts where node_id = $1 order by id limit 1`, [nodes[0]!.id])
		await sql.query(`update customers set data_limit_bytes = used_bytes + 500000 where id = $1`, [c.customer_id])
		await sql.query(`select graphile_worker.add_job('reconcile_customer', json_build_object('customerId', $1::int), job_key := 'customer:' || $1::int)`, [c.customer_id])
		const adapter = createAdapter(await nodeConnection(c.node_id))
		const ref = { username: c.remote_username }
		const queued = async () => Number((await one<{ n: string }>(`select count(*)::text as n from graphile_worker.jobs where key = $1`, [`customer:${c.customer_id}`])).n)
		const setupUntil = performance.now() + 300_000
		while (await queued()) {
			if (performance.now() > setupUntil) throw new Error('setup: the limit was not pushed to the panel in 300 s')
			await new Promise((r) => setTimeout(r, 100))
		}
		const t0 = performance.now()
		await remoteControl(nodes[0]!.url, 'addTraffic', { bytes: { [c.remote_username]: 1_000_000 } })
		await sql.query(`select graphile_worker.add_job('sync_all_nodes', '{}'::json)`) // the cron tick after the crossing
		let disabledMs = 0
		for (;;) {
			if (performance.now() - t0 > 180_000) throw new Error('over-quota customer still enabled after 180 s')
			await new Promise((r) => setTimeout(r, 50))
			if (!(await queued()) && (await adapter.getAccount(ref)).status === 'disabled') {
				disabledMs = performance.now() - t0
				break
			}
		}
		await adapter.close?.()
		report(figure('scale', `one customer over quota at ${label} → disabled on his panel`, disabledMs, 'ms', null, '≤ 10000 ms'))
		// Let the tick's round finish before the HTTP figures (it would load the same cores).
		const tickUntil = performance.now() + 600_000
		while (Number((await one<{ n: string }>(`select count(*)::text as n from graphile_worker.jobs where task_identifier in ('sync_all_nodes', 'sync_node_usage') and run_at <= now()`)).n)) {
			if (performance.now() > tickUntil) throw new Error('the crossing round did not finish')
			await new Promise((r) => setTimeout(r, 100))
		}
	} finally {
		await Promise.all(workers.map((w) => w.stop()))
		if (ROUND_ONLY) await sql.end()
	}

	report(...(await sizes(one)))
	// A round leaves a dead version of every row it rewrote; autovacuum cleans them between rounds
	// (its launcher wakes once a minute, so it may not have started yet). The vacuum is done here,
	// timed as a figure of its own, so the HTTP figures see the hub between rounds, as a live hub
	// is most of the time, not racing a vacuum that starts mid-measurement.
	const v = performance.now()
	await sql.query('vacuum (analyze) customers, sub_accounts, usage_daily')
	report(figure('scale', 'vacuum after the rounds (customers, sub_accounts, usage_daily)', performance.now() - v, 'ms', null))
	report(...(await httpFigures(url, seed.bigResellerUserId, seed.bigResellerId)))
	await sql.end()
	return figures
}

/** BENCH_CPU_PROF=<dir>: each worker process writes a V8 CPU profile there when it exits. */
const workerProfile = () => (process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [])

type CpuSnapshot = { workers: number; postgres: number; sims: number; bench: number }
const cpuOfThisProcess = () => {
	const u = process.cpuUsage()
	return (u.user + u.system) / 1000
}

/** CPU of each process group during a round, in seconds, and the workers' per changed account. */
function cpuFigures(which: string, cpu: CpuSnapshot): Figure[] {
	const s = (ms: number) => Math.round(ms / 10) / 100
	return [
		figure('scale', `round CPU (${which}): worker processes`, s(cpu.workers), 's', null),
		figure('scale', `round CPU (${which}): Postgres (all backends, autovacuum, WAL writer)`, s(cpu.postgres), 's', null),
		figure('scale', `round CPU (${which}): simulators`, s(cpu.sims), 's', null),
		figure('scale', `round CPU (${which}): bench process (polling)`, s(cpu.bench), 's', null),
		figure('scale', `round CPU (${which}): workers + Postgres per changed account`, Math.round(((cpu.workers + cpu.postgres) * 1000) / (NODES * PER)), 'µs', null),
	]
}

/**
 * PG_STAT_STATEMENTS=1 (needs a fresh Postgres start, see scripts/lib/embedded-postgres.ts): the
 * round's statements by total time. Diagnosis, not a figure.
 */
async function statementStats(sql: pg.Pool) {
	await sql.query('create extension if not exists pg_stat_statements')
	await sql.query('select pg_stat_statements_reset()')
	return {
		async print() {
			const { rows } = await sql.query(`select round(total_exec_time::numeric) as exec_ms, round(total_plan_time::numeric) as plan_ms, calls, rows, round(shared_blks_dirtied::numeric) as dirtied, round((wal_bytes / 1048576)::numeric, 1) as wal_mib, left(regexp_replace(query, '\\s+', ' ', 'g'), 100) as query
				from pg_stat_statements order by total_exec_time + total_plan_time desc limit 25`)
			console.table(rows)
		},
	}
}

/** Table and index sizes at this N (docs/scaling.md extrapolates from them). */
async function sizes(one: <T>(text: string, values?: unknown[]) => Promise<T>) {
	const out: Figure[] = []
	for (const t of ['customers', 'sub_accounts', 'usage_daily', 'ledger_entries']) {
		const r = await one<{ heap: string; idx: string; rows: string }>(`select pg_relation_size($1)::text as heap, pg_indexes_size($1)::text as idx, (select count(*) from ${t})::text as rows`, [t])
		const rows = Number(r.rows)
		if (!rows) continue // nothing to divide by (ledger_entries: the seeded resellers are wallet-funded and buy nothing)
		out.push(figure('scale', `${t}: heap per row (${r.rows} rows)`, Number(r.heap) / rows, 'bytes', null), figure('scale', `${t}: indexes per row`, Number(r.idx) / rows, 'bytes', null))
	}
	return out
}

/** /sub, the reseller list search and signed-in pages at this N, each beside its bare baseline. */
async function httpFigures(url: string, bigUserId: number, bigResellerId: number): Promise<Figure[]> {
	const { prisma } = await import('~/utils/db.server')
	const { seal } = await import('~/utils/crypto.server')
	const { createSession } = await import('~/utils/auth.server')
	const figures: Figure[] = []
	// One customer with links on three nodes (what /sub serves), among the N.
	const token = `scale-sub-token-${Date.now()}`
	const linkNodes = await prisma.node.findMany({ where: { deletedAt: null }, orderBy: { id: 'asc' }, take: 3 })
	const customer = await prisma.customer.create({ data: { resellerId: bigResellerId, username: `scalesub${Date.now()}`, dataLimitBytes: 50n * 1024n ** 3n, usedBytes: 1234567n, expireAt: new Date(Date.now() + 30 * 86_400_000), subToken: token } })
	for (const [i, n] of linkNodes.entries()) {
		const link = `vless://00000000-0000-4000-8000-00000000000${i + 1}@n${i}.example.com:443?security=tls&type=tcp#n${i}`
		await prisma.subAccount.create({ data: { customerId: customer.id, nodeId: n.id, remoteUsername: `scalesub_${i}`, state: 'active', links: seal(JSON.stringify({ kind: 'links', links: [link], subscriptionUrl: null })) } })
	}
	const app = await startChild('hub', { WEB_CONCURRENCY: String(WEB) })
	const bare = await startChild('bare-sub')
	try {
		const ua = { accept: '*/*', 'user-agent': 'v2rayNG/1.8.5' }
		const check = await fetch(`${app.url}/sub/${token}`, { headers: ua })
		if (check.status !== 200 || Buffer.from(await check.text(), 'base64').toString().split('\n').length !== 3) throw new Error(`/sub answered ${check.status}: the figure would measure the wrong thing`)
		const base = await loadFromChild(`${bare.url}/sub/${token}`, { headers: ua })
		const sub = await loadFromChild(`${app.url}/sub/${token}`, { headers: ua })
		if (base.errors || sub.errors) throw new Error(`/sub failed requests: bare ${base.errors}, hub ${sub.errors}`)
		figures.push(
			figure('scale', `/sub/{token} at ${label} (${WEB} web processes) requests/s`, sub.rps, 'req/s', base.rps, '≥ 0.8 × bare'),
			figure('scale', `/sub/{token} at ${label} p99`, sub.p99, 'ms', base.p99, '< 20 ms'),
		)

		// Signed-in full pages over HTTP: the big reseller's customer list, the admin dashboard.
		const resellerCookie = (await createSession(bigUserId, new Request('http://bench/'))).split(';')[0]!
		const adminUser = await prisma.user.findFirstOrThrow({ where: { role: 'admin' }, orderBy: { id: 'asc' } })
		const adminCookie = (await createSession(adminUser.id, new Request('http://bench/'))).split(';')[0]!
		for (const [name, path, cookie] of [['reseller customer list', '/reseller/customers', resellerCookie], ['admin dashboard', '/admin', adminCookie]] as const) {
			const page = await fetch(`${app.url}${path}`, { headers: { cookie, 'accept-language': 'en' } })
			if (page.status !== 200 || !(await page.text()).includes('<html')) throw new Error(`${path} answered ${page.status}: not a signed-in page`)
			const r = await loadFromChild(`${app.url}${path}`, { headers: { cookie, 'accept-language': 'en' } })
			if (r.errors) throw new Error(`${path}: ${r.errors} failed requests`)
			figures.push(
				figure('scale', `signed-in page: ${name} at ${label} requests/s`, r.rps, 'req/s', base.rps, '≥ 500 req/s'),
				figure('scale', `signed-in page: ${name} p99`, r.p99, 'ms', base.p99, '< 100 ms'),
			)
		}
	} finally {
		await app.stop()
		await bare.stop()
	}

	// The reseller customer list with search, the route's own loader in-process (as the
	// customers case measures it) for the reseller with a fifth of all customers.
	const cookie = (await createSession(bigUserId, new Request('http://bench/'))).split(';')[0]!
	const build = (await import(path.resolve('build/server/index.js'))) as ServerBuild
	const loader = build.routes['routes/reseller+/customers']!.module.loader!
	const call = (qs: string) => () => loader({ request: new Request(`http://bench/reseller/customers${qs}`, { headers: { cookie } }), params: {}, context: {} })
	const probe = (await prisma.customer.findFirstOrThrow({ where: { resellerId: bigResellerId, note: { not: null } }, orderBy: { id: 'desc' }, skip: 1000 })).username
	const found = (await call(`?q=${probe}`)()) as unknown as { rows: Array<{ username: string }> }
	if (!found.rows.some((r) => r.username === probe)) throw new Error(`search did not find ${probe}: the figure would measure nothing`)
	const pool = new pg.Pool({ connectionString: url, max: 2 })
	const bareList = await timeP95(() => pool.query(`select id, username, status, used_bytes, data_limit_bytes, expire_at from customers where reseller_id = $1 and status <> 'deleted' order by id desc limit 26`, [bigResellerId]))
	await pool.end()
	for (const [name, qs] of [['first page', ''], ['search username', `?q=${probe}`], ['search note', '?q=shop+7'], ['status filter', '?status=disabled']] as const) {
		figures.push(figure('scale', `reseller list at ${label} (one reseller: ${Math.round(N / 5 / 1000)}k) p95: ${name}`, await timeP95(async () => call(qs)(), 100), 'ms', bareList, '< 50 ms'))
	}
	return figures
}
