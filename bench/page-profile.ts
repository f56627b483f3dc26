// Where a signed-in page's time goes (issue 16: "≥ 500 requests/s, p99 < 100 ms … find where the
// time goes"). Seeds PAGE_N customers (bench/seed-scale.ts: one reseller holds a fifth), starts
// the production server in its own process (one web process, no worker) and loads /login and the
// big reseller's customer list from another process, in the same run. PAGE_PROFILE=<dir> runs a
// second, profiled server (node --cpu-prof) under load on the list page only and prints its
// self time by package and by function (bench/cpuprofile-summary.ts), so the table is one page's.
// PAGE=admin measures (and profiles) the admin dashboard instead of the list, signed in as an admin;
// the seed adds a day of half-hour usage on its nodes and a worker heartbeat, as a live hub has.
//
//   BENCH_PG_PORT=… BENCH_PG_DIR=… PAGE_N=50000 PAGE_PROFILE=.data/prof npx tsx bench/page-profile.ts
//   PAGE=admin PAGE_N=1000000 … npx tsx bench/page-profile.ts
import { execSync } from 'node:child_process'
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { startChild } from './child'
import { benchDatabase, ensureBuild } from './env'
import { loadFromChild } from './cases/scale-loadgen'
import type { LoadResult } from './load'
import { postmasterPid, treeCpuMs } from './proc-cpu'
import { seedScale } from './seed-scale'
import { summarise } from './cpuprofile-summary'

const N = Number(process.env.PAGE_N || 50_000)
const MS = Number(process.env.PAGE_MS || 8000)
const CONNECTIONS = Number(process.env.PAGE_CONNECTIONS || 16)
const PROFILE = process.env.PAGE_PROFILE

ensureBuild()
const db = await benchDatabase()
const { prisma } = await import('~/utils/db.server')
const { createSession } = await import('~/utils/auth.server')
const sql = new pg.Client({ connectionString: db.url })
await sql.connect()
// Three live nodes (no worker runs, so nothing calls them), all allocated to the big reseller, so
// the node filter has options; the seed's sub-accounts sit on them.
const nodes: Array<{ id: number; wireguard: boolean }> = []
for (let i = 0; i < 3; i++) {
	const r = await sql.query<{ id: number }>(`insert into nodes (name, kind, base_url, secrets, updated_at) values ($1, 'marzban', 'http://127.0.0.1:9', '', now()) returning id`, [`page-${i}`])
	nodes.push({ id: r.rows[0]!.id, wireguard: false })
}
const seed = await seedScale(db.url, N, nodes)
for (const n of nodes) await sql.query(`insert into node_allocations (reseller_id, node_id) values ($1, $2)`, [seed.bigResellerId, n.id])
// Some online times and notifications (a few unread), as a live reseller has.
await sql.query(`update sub_accounts set online_at = now() - (id % 600) * interval '1 minute' where id % 3 = 0`)
await sql.query(`insert into notifications (audience, reseller_id, kind, data, dedupe_key, read_at) select 'reseller', $1, 'expiring', '{}', 'page-' || g, case when g % 4 = 0 then null else now() end from generate_series(1, 200) g`, [seed.bigResellerId])
// The admin dashboard's chart and per-node figures read the last 24 hours of half-hour slots.
await sql.query(`insert into usage_half_hours (node_id, slot, bytes) select n.id, date_trunc('hour', now()) - g * interval '30 minutes', 1000000 + g from unnest($1::int[]) n(id), generate_series(0, 47) g`, [nodes.map((n) => n.id)])
await sql.query(`insert into worker_heartbeats (worker_id, beat_at, pid, hostname) values ('page-bench', now() + interval '1 day', 1, 'bench')`)
const admin = await sql.query<{ id: number }>(`insert into users (username, role, password_hash, updated_at) values ('page-admin', 'admin', 'x', now()) returning id`)
await sql.query('analyze')
await sql.end()

const ADMIN = process.env.PAGE === 'admin'
const cookie = (await createSession(ADMIN ? admin.rows[0]!.id : seed.bigResellerUserId, new Request('http://bench/'))).split(';')[0]!
await prisma.$disconnect()
const page = ADMIN ? '/admin' : '/reseller/customers'
// A marker only the page's own content has, so a redirect or an error page is not measured.
const marker = ADMIN ? 'data-testid="customer-states"' : 'data-testid="customer-list"'
const langs = (process.env.PAGE_LANGS || 'en').split(',')

const pgPid = postmasterPid(process.env.BENCH_PG_DIR || '.data/pg-bench')
type Measured = LoadResult & { serverCpuMs: number | null; pgCpuMs: number | null }

/**
 * A load, with the CPU the server process and Postgres spent per request. Under other agents'
 * load req/s and latency say little; CPU per request barely moves (bench/proc-cpu.ts). The CPU
 * rate over the whole call (its 1 s warm-up included) times the measured request interval.
 */
async function measured(pid: number, url: string, headers: Record<string, string>): Promise<Measured> {
	const cpu0 = treeCpuMs(pid)
	const pg0 = pgPid ? treeCpuMs(pgPid) : null
	const t0 = performance.now()
	const r = await loadFromChild(url, { headers, durationMs: MS, connections: CONNECTIONS })
	const wall = performance.now() - t0
	const per = (a: number | null, b: number | null) => (a == null || b == null ? null : (b - a) / wall / (r.rps / 1000))
	return { ...r, serverCpuMs: per(cpu0, treeCpuMs(pid)), pgCpuMs: per(pg0, pgPid ? treeCpuMs(pgPid) : null) }
}

async function measure(prof?: string) {
	// bench/child.ts reads BENCH_CPU_PROF from this process's environment.
	if (prof) process.env.BENCH_CPU_PROF = prof
	else delete process.env.BENCH_CPU_PROF
	const app = await startChild('hub', { WEB_CONCURRENCY: '1' })
	try {
		for (const lang of langs) {
			const res = await fetch(`${app.url}${page}`, { headers: { cookie, 'accept-language': lang } })
			const html = await res.text()
			if (res.status !== 200 || !html.includes(marker)) throw new Error(`${page} answered ${res.status} without its content: the figure would measure nothing`)
			console.log(`${page} (${lang}): ${html.length} bytes of HTML`)
			if (process.env.PAGE_HTML) writeFileSync(`${process.env.PAGE_HTML}.${lang}.html`, html)
		}
		const pageHeaders = { cookie, 'accept-language': langs[0]! }
		// PAGE_PROFILE_LOGIN=1 profiles /login instead (the baseline's own profile).
		if (prof) return process.env.PAGE_PROFILE_LOGIN ? await measured(app.pid, `${app.url}/login`, { 'accept-language': 'en' }) : await measured(app.pid, `${app.url}${page}`, pageHeaders)
		const load0 = execSync('uptime').toString().trim()
		const login = await measured(app.pid, `${app.url}/login`, { 'accept-language': 'en' })
		const load1 = execSync('uptime').toString().trim()
		const list = await measured(app.pid, `${app.url}${page}`, pageHeaders)
		const load2 = execSync('uptime').toString().trim()
		const ms = (v: number | null) => (v == null ? '–' : v.toFixed(2))
		const row = (name: string, r: Measured) => `| ${name} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.errors} | ${ms(r.serverCpuMs)} | ${ms(r.pgCpuMs)} |`
		console.log(`\n${N} customers, ${CONNECTIONS} connections, ${MS} ms each\n| page | req/s | p50 ms | p99 ms | errors | server CPU ms/req | Postgres CPU ms/req |\n|---|---|---|---|---|---|---|\n${row('/login', login)}\n${row(`${page} (${langs[0]})`, list)}`)
		console.log(`uptime before:        ${load0}`)
		console.log(`uptime after /login: ${load1}\nuptime after list:   ${load2}`)
	} finally {
		await app.stop()
	}
}

await measure()
if (PROFILE) {
	rmSync(PROFILE, { recursive: true, force: true })
	mkdirSync(PROFILE, { recursive: true })
	const r = await measure(path.resolve(PROFILE))
	const file = readdirSync(PROFILE).find((f) => f.endsWith('.cpuprofile'))
	if (!file || !r) throw new Error(`no profile in ${PROFILE}`)
	// Only the profile's last MS ms: the measured load (the server stops right after it), not the
	// start-up nor the 1 s warm-up, so busy time / measured requests is one request's CPU.
	console.log(`profiled run: ${r.rps.toFixed(0)} req/s, p99 ${r.p99.toFixed(1)} ms, server CPU ${r.serverCpuMs?.toFixed(2)} ms/req (under the profiler)`)
	console.log(summarise(path.join(PROFILE, file), Math.round(r.requests), MS))
}
await db.stop()
process.exit(0)
