// MikroTik accounting at size (issue 13): ROUTERS routers × PEERS peers (default 20 × 2,000).
// Bars: one polling round of every router ≤ 10 s on 2 cores, shown beside the raw listing time
// (every router's peer print over REST, nothing written); the router dashboard's loader p95 < 100 ms.
// Routers run in a child process (bench/router-sims.ts) and are reached over real sockets.
// Beside the wall times (noisy on a shared machine) each round's CPU is reported per process —
// the hub (this process), Postgres, the simulated routers — which other load barely moves.
// PG_STAT_STATEMENTS=1 prints the statements of one round (diagnosis, not a figure);
// BENCH_CPU_PROF=<dir> writes a V8 CPU profile of this process over the polling rounds there.
import { spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import path from 'node:path'
import type { ServerBuild } from '@remix-run/node'
import pg from 'pg'
import { benchDatabase, ensureBuild } from '../env'
import { postmasterPid, treeCpuMs } from '../proc-cpu'
import { figure, type BenchCase } from '../types'
import { seedRouterHistory } from './routers-history'

const ROUTERS = Number(process.env.BENCH_ROUTERS || 20)
const PEERS = Number(process.env.BENCH_ROUTER_PEERS || 2000)
const ROUNDS = 3
const RUNS = 100
const HISTORY_DAYS = Number(process.env.BENCH_ROUTER_HISTORY_DAYS || 14)
const SAMPLE_HOURS = Number(process.env.BENCH_ROUTER_SAMPLE_HOURS || 48)

function startRouters(): Promise<{ urls: string[]; pid: number; stop(): void }> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'bench/router-sims.ts'], { env: { ...process.env, ROUTERS: String(ROUTERS), PEERS: String(PEERS) }, stdio: ['ignore', 'pipe', 'inherit'] })
	return new Promise((resolve, reject) => {
		let out = ''
		child.stdout.on('data', (d) => {
			out += d
			const m = /READY (\S+)/.exec(out)
			if (m) resolve({ urls: JSON.parse(m[1]!), pid: child.pid!, stop: () => child.kill('SIGKILL') })
		})
		child.once('exit', (code) => reject(new Error(`router simulators exited (${code})`)))
	})
}

const p95 = (s: number[]) => [...s].sort((a, b) => a - b)[Math.floor(s.length * 0.95)]!
const median = (s: number[]) => [...s].sort((a, b) => a - b)[Math.floor(s.length / 2)]!
const hubCpuMs = () => {
	const u = process.cpuUsage()
	return (u.user + u.system) / 1000
}

/** Wall time and CPU (hub, Postgres, simulated routers) of one step. */
async function measured(pgPid: number | null, simPid: number, step: () => Promise<unknown>) {
	const before = { hub: hubCpuMs(), db: pgPid ? treeCpuMs(pgPid) : null, sims: treeCpuMs(simPid) }
	const t = performance.now()
	await step()
	const ms = performance.now() - t
	const db = pgPid ? treeCpuMs(pgPid) : null
	const sims = treeCpuMs(simPid)
	return { ms, hub: hubCpuMs() - before.hub, db: db != null && before.db != null ? db - before.db : null, sims: sims != null && before.sims != null ? sims - before.sims : null }
}

export const routersBench: BenchCase = {
	name: 'routers',
	description: `MikroTik accounting: ${ROUTERS} routers × ${PEERS} peers, one polling round vs the raw listing; dashboard p95`,
	async run() {
		const db = await benchDatabase()
		const pgPid = postmasterPid(process.env.BENCH_PG_DIR || '.data/pg-bench')
		const sims = await startRouters()
		try {
			const { prisma } = await import('~/utils/db.server')
			const { hashPassword } = await import('~/utils/password.server')
			const { createSession } = await import('~/utils/auth.server')
			const { sealRouterSecrets, routerTransport } = await import('~/services/routers/connection.server')
			const { importPeers, listRouter } = await import('~/services/routers/import.server')
			const { pollRouter, PEER_PROPS } = await import('~/services/routers/poll.server')
			const { SIM_CREDENTIALS } = await import('../../sim/start-all')
			const admin = await prisma.user.create({ data: { username: `bench_routers_${Date.now()}`, role: 'admin', passwordHash: await hashPassword('x'.repeat(12)) } })
			const { username, password } = SIM_CREDENTIALS.routeros
			const routers: Array<Awaited<ReturnType<typeof prisma.router.create>>> = []
			for (const [i, url] of sims.urls.entries()) {
				const r = await prisma.router.create({ data: { name: `bench-${i}`, transport: 'rest', baseUrl: url, tls: false, verifyTls: false, secrets: sealRouterSecrets(username, password), defaultQuotaBytes: 50n * 1024n ** 3n, enforcement: 'monitor' } })
				const ros = routerTransport(r)
				const listing = await listRouter(r.id, ros, ['wg-bench'])
				await importPeers(r.id, ros, { interfaces: ['wg-bench'], keys: listing.peers.map((p) => `wg-bench\t${p.publicKey}`) }, admin.id)
				await ros.close()
				routers.push(r)
			}
			// The import queued a poll per router; no worker runs here, so those jobs just wait.
			const traffic = () => Promise.all(sims.urls.map((u) => fetch(`${u}/__sim/addTraffic`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bytes: 4096 }) })))

			const listings: Array<Awaited<ReturnType<typeof measured>>> = []
			for (let i = 0; i < ROUNDS; i++) {
				listings.push(await measured(pgPid, sims.pid, () => Promise.all(routers.map(async (r) => {
					const ros = routerTransport(r)
					try {
						await ros.print('interface/wireguard/peers', {}, PEER_PROPS)
					} finally {
						await ros.close()
					}
				}))))
			}
			const rounds: typeof listings = []
			const profiler = process.env.BENCH_CPU_PROF ? await startProfile() : null
			for (let i = 0; i < ROUNDS; i++) {
				await traffic()
				const stats = process.env.PG_STAT_STATEMENTS === '1' && i === ROUNDS - 1 ? await statementStats(db.url) : null
				let moved = 0
				rounds.push(await measured(pgPid, sims.pid, async () => {
					const results = await Promise.all(routers.map((r) => pollRouter(r.id)))
					moved = results.reduce((s, r) => s + r.moved, 0)
				}))
				await stats?.print()
				if (moved !== ROUTERS * PEERS) throw new Error(`a round moved ${moved} peers, not ${ROUTERS * PEERS}: the figure would measure nothing`)
			}
			await profiler?.stop(process.env.BENCH_CPU_PROF!)
			const history = await seedRouterHistory(db.url, { days: HISTORY_DAYS, sampleHours: SAMPLE_HOURS })

			ensureBuild()
			const build = (await import(path.resolve('build/server/index.js'))) as ServerBuild
			const cookie = (await createSession(admin.id, new Request('http://bench/'))).split(';')[0]!
			const timeLoader = async (route: string, url: string, params: Record<string, string>) => {
				const loader = build.routes[route]!.module.loader!
				const call = () => loader({ request: new Request(url, { headers: { cookie } }), params, context: {} })
				for (let i = 0; i < 10; i++) await call()
				const s: number[] = []
				for (let i = 0; i < RUNS; i++) {
					const t = performance.now()
					await call()
					s.push(performance.now() - t)
				}
				return p95(s)
			}
			const one = String(routers[0]!.id)
			const of = (xs: typeof listings, k: 'ms' | 'hub' | 'db' | 'sims') => median(xs.map((x) => x[k] ?? 0))
			return [
				figure('routers', `one round, ${ROUTERS} × ${PEERS} peers (median of ${ROUNDS})`, of(rounds, 'ms'), 'ms', of(listings, 'ms'), '≤ 10 s'),
				figure('routers', 'raw listing of every router (median)', of(listings, 'ms'), 'ms', null),
				figure('routers', 'hub CPU per round (baseline: per listing)', of(rounds, 'hub'), 'ms', of(listings, 'hub')),
				...(pgPid ? [figure('routers', 'Postgres CPU per round', of(rounds, 'db'), 'ms', null)] : []),
				figure('routers', 'simulated routers CPU per round (baseline: per listing)', of(rounds, 'sims'), 'ms', of(listings, 'sims')),
				figure('routers', `router dashboard loader p95 (${history.samples} samples stored)`, await timeLoader('routes/admin+/routers.$id', `http://bench/admin/routers/${one}`, { id: one }), 'ms', null, '< 100 ms'),
				figure('routers', `all-routers dashboard loader p95 (${ROUTERS} routers)`, await timeLoader('routes/admin+/routers', 'http://bench/admin/routers', {}), 'ms', null, '< 100 ms'),
			]
		} finally {
			sims.stop()
		}
	},
}

/** PG_STAT_STATEMENTS=1: every statement of one polling round, by time (diagnosis, not a figure). */
async function statementStats(url: string) {
	const c = new pg.Client({ connectionString: url })
	await c.connect()
	await c.query('create extension if not exists pg_stat_statements')
	await c.query('select pg_stat_statements_reset()')
	return {
		async print() {
			const { rows } = await c.query(`select round((total_exec_time + total_plan_time)::numeric, 1) as ms, round(total_plan_time::numeric, 1) as plan_ms, calls, rows, toplevel,
					left(regexp_replace(query, '\\s+', ' ', 'g'), 100) as query
				from pg_stat_statements where query not like '%pg_stat_statements%' order by total_exec_time + total_plan_time desc limit 40`)
			const total = await c.query(`select sum(calls)::int as calls from pg_stat_statements where toplevel and query not like '%pg_stat_statements%'`)
			console.table(rows)
			console.log(`statements in the round (top level): ${total.rows[0]?.calls}`)
			await c.end()
		},
	}
}

async function startProfile() {
	const session = new Session()
	session.connect()
	await session.post('Profiler.enable')
	await session.post('Profiler.start')
	return {
		async stop(dir: string) {
			const { profile } = await session.post('Profiler.stop')
			mkdirSync(dir, { recursive: true })
			writeFileSync(path.join(dir, `routers-rounds-${Date.now()}.cpuprofile`), JSON.stringify(profile))
			session.disconnect()
		},
	}
}
