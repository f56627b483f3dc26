// The admin dashboard at scale (issue 16, decision 027): its loader in-process at N customers,
// each of its queries alone, the whole-table counts it used to run (the baseline, same database),
// EXPLAIN ANALYZE of the bounded counts, and what the count triggers cost a usage-sync batch.
//
//   BENCH_PG_PORT=5614 BENCH_PG_DIR=.data/pg-bench-h4 BENCH_SCALE_N=1000000 npx tsx bench/dashboard-counts.ts
//
// The seeded database is kept (guardino_dashboard) and reused when it already holds N customers.
// `--dirty` first writes a usage round's traces: a usage_daily row per customer for today and an
// UPDATE of every customer (the visibility map cleared, as after a real round before vacuum).
import pg from 'pg'
import { ensureDatabase, scratchServer, withDatabase } from '../scripts/lib/embedded-postgres'
import { migrate } from '../scripts/lib/database'
import { seedScale, type SeedNode } from './seed-scale'

const N = Number(process.env.BENCH_SCALE_N || 1_000_000)
const CALLS = 50
const dirty = process.argv.includes('--dirty')

process.env.NODE_ENV = 'production'
process.env.SESSION_SECRET ??= 'bench-session-secret-bench-session-secret-01'
process.env.MASTER_KEY ??= Buffer.alloc(32, 3).toString('base64')
process.env.LOG_LEVEL = 'warn'
process.env.PUBLIC_URL ??= 'https://hub.bench.example'

const { serverUrl, stop } = await scratchServer({ dir: process.env.BENCH_PG_DIR || '.data/pg-bench-h4', port: Number(process.env.BENCH_PG_PORT || 5614) })
await ensureDatabase(serverUrl, 'guardino_dashboard')
const url = withDatabase(serverUrl, 'guardino_dashboard')
process.env.DATABASE_URL = url
await migrate(url)
const db = new pg.Client({ connectionString: url })
await db.connect()
const one = async <T>(text: string, values: unknown[] = []) => (await db.query(text, values)).rows[0] as T

const have = Number((await one<{ n: string }>(`select count(*) as n from customers`)).n)
if (have < N) {
	const nodes: SeedNode[] = []
	for (let i = 0; i < 50; i++) {
		const r = await one<{ id: number }>(`insert into nodes (name, kind, base_url, secrets, deleted_at, updated_at) values ($1, 'marzban', 'http://127.0.0.1:9', '', now(), now()) returning id`, [`dash-${i}-${Date.now()}`])
		nodes.push({ id: r.id, wireguard: false })
	}
	const s = await seedScale(url, N - have, nodes)
	console.log(`seeded ${N - have} customers in ${(s.ms / 1000).toFixed(1)} s`)
}
if (dirty) {
	const t = performance.now()
	await db.query(`insert into usage_daily (customer_id, node_id, day, bytes) select c.id, s.node_id, current_date, 1048576 from customers c join sub_accounts s on s.customer_id = c.id on conflict do nothing`)
	await db.query(`update customers set used_bytes = used_bytes + 1`)
	console.log(`dirtied (usage_daily for today, every customer updated) in ${((performance.now() - t) / 1000).toFixed(1)} s`)
}
await db.query('analyze')

const { prisma } = await import('~/utils/db.server')
const { createSession, requireAdmin } = await import('~/utils/auth.server')
const { customerStates, nodesToday } = await import('~/models/admin-daily.server')
const { adminFigures, usageLast24h } = await import('~/models/dashboard.server')

async function time(name: string, fn: () => Promise<unknown>, calls = CALLS) {
	for (let i = 0; i < 3; i++) await fn() // warm: connections, prepared statements, caches
	const ms: number[] = []
	for (let i = 0; i < calls; i++) {
		const t = performance.now()
		await fn()
		ms.push(performance.now() - t)
	}
	ms.sort((a, b) => a - b)
	const q = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!.toFixed(2)
	console.log(`${name.padEnd(58)} median ${q(0.5).padStart(8)} ms   p95 ${q(0.95).padStart(8)} ms`)
}

const total = Number((await one<{ n: string }>(`select count(*) as n from customers`)).n)
console.log(`\n${total} customers${dirty ? ' (after a usage round, before vacuum)' : ''}; median of ${CALLS} calls\n`)
const admin = (await prisma.user.findFirst({ where: { role: 'admin' } })) ?? (await prisma.user.create({ data: { username: `dash_admin_${Date.now()}`, role: 'admin', passwordHash: 'x' } }))
const cookie = (await createSession(admin.id, new Request('http://bench/'))).split(';')[0]!
const now = new Date()
// The loader of app/routes/admin+/index.tsx, step for step: the route module itself imports the
// stylesheet through its components, which tsx cannot load outside Vite.
const loader = async (request: Request) => {
	await requireAdmin(request)
	const at = new Date()
	return Promise.all([adminFigures(), customerStates(at), nodesToday(at), usageLast24h(at)])
}
await time('dashboard loader (whole, in-process)', () => loader(new Request('http://bench/admin', { headers: { Cookie: cookie } })))
await time('  customerStates (deltas + expiring range)', () => customerStates(now))
await time('  adminFigures (staff, sessions, events 24h, queues, recent)', () => adminFigures())
await time('  nodesToday (half-hour slots)', () => nodesToday(now))
await time('  usageLast24h', () => usageLast24h(now))

console.log('\nbaseline: the queries the dashboard ran before (same database, same run)')
const soon = new Date(now.getTime() + 3 * 86_400_000)
const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
await time('  customers groupBy(status)', () => prisma.customer.groupBy({ by: ['status'], _count: { _all: true } }), 10)
await time('  customers count(status <> deleted)', () => prisma.customer.count({ where: { status: { not: 'deleted' } } }), 10)
await time('  expiring: Prisma count, status bound as a parameter', () => prisma.customer.count({ where: { status: 'active', expireAt: { gte: now, lte: soon } } }), 10)
await time('  users groupBy(role) (all users)', () => prisma.user.groupBy({ by: ['role'], _count: { _all: true } }), 10)
await time('  usage_daily groupBy(node) today', () => prisma.usageDaily.groupBy({ by: ['nodeId'], where: { day: today }, _sum: { bytes: true } }), 10)

console.log('\nEXPLAIN ANALYZE')
const explain = async (label: string, text: string, values: unknown[] = []) => {
	const rows = (await db.query(`explain (analyze, buffers, timing off) ${text}`, values)).rows.map((r) => r['QUERY PLAN'] as string)
	console.log(`-- ${label}\n   ${rows.join('\n   ')}`)
}
await explain('counts from deltas', `select status, sum(delta) from customer_count_deltas group by status`)
await explain('expiring within 3 days, before: one range over the partial index', `select count(*) from customers where status = 'active' and expire_at >= $1::timestamptz and expire_at <= $2::timestamptz`, [now.toISOString(), soon.toISOString()])
{
	const HOUR = 3_600_000
	const a = new Date(Math.floor(now.getTime() / HOUR) * HOUR + HOUR).toISOString()
	const b = new Date(Math.floor(soon.getTime() / HOUR) * HOUR).toISOString()
	await explain(
		'expiring within 3 days, now: the edge hours by the index, the whole hours from customer_expiry_deltas',
		`select ((select count(*) from customers where status = 'active' and expire_at >= $1::timestamptz and expire_at < $3::timestamptz)
			+ (select coalesce(sum(delta), 0) from customer_expiry_deltas where hour >= $3::timestamptz and hour < $4::timestamptz)
			+ (select count(*) from customers where status = 'active' and expire_at >= $4::timestamptz and expire_at <= $2::timestamptz))::int`,
		[now.toISOString(), soon.toISOString(), a, b],
	)
}
await explain('live sessions', `select count(*) from sessions where expires_at > $1::timestamptz`, [now.toISOString()])
await explain('events in 24 h', `select count(*) from audit_events where at > $1::timestamptz`, [new Date(now.getTime() - 86_400_000).toISOString()])
await explain('staff by role', `select role, count(*) from users where role in ('admin', 'reseller') group by role`)
// The statements the loader sends since decision 035 (raw, on the shared pool).
await explain(
	'adminFigures: the counts in one statement',
	`select (select count(*)::int from users where role = 'admin'), (select count(*)::int from users where role = 'reseller'),
		(select count(*)::int from sessions where expires_at > $1::timestamptz), (select count(*)::int from audit_events where at > $2::timestamptz),
		(select max(beat_at) from worker_heartbeats)`,
	[now.toISOString(), new Date(now.getTime() - 86_400_000).toISOString()],
)
await explain('adminFigures: recent events', `select e.id, e.at, e.action, u.username from audit_events e left join users u on u.id = e.actor_id order by e.id desc limit 8`)
await explain(
	'usageLast24h: summed per node and hour',
	`select u.node_id, floor(extract(epoch from u.slot - $1::timestamptz) / 3600)::int as i, sum(u.bytes)::bigint from usage_half_hours u
		join nodes n on n.id = u.node_id and n.deleted_at is null where u.slot >= $1::timestamptz and u.slot < $2::timestamptz group by 1, 2`,
	[new Date(now.getTime() - 24 * 3_600_000).toISOString(), now.toISOString()],
)
await explain('waitingQueues', `select (select count(*)::int from payments where status in ('submitted', 'in_review')), (select count(*)::int from usage_holds where status = 'pending')`)

// What the update trigger costs the usage sync: its batch UPDATE of 1,000 customers (no status or
// expiry change) with the row-level trigger as migrated (WHEN skips unchanged rows), with no count
// trigger, and with the statement-level variant first built (transition tables joined on id).
// The variants take turns, one batch each, so a machine whose load drifts biases none of them.
console.log('\nusage-sync batch UPDATE of 1,000 customers, no status change (variants interleaved, 40 each)')
await db.query(`create or replace function bench_statement_update() returns trigger language plpgsql as $$
begin
	with moved as materialized (
		select o.status as os, n.status as ns, o.expire_at as oe, n.expire_at as ne
		from old_rows o join new_rows n on n.id = o.id where n.status <> o.status or n.expire_at <> o.expire_at
	), statuses as (
		insert into customer_count_deltas (status, delta)
		select v.status, sum(v.d) from moved, lateral (values (moved.os, -1), (moved.ns, 1)) as v(status, d)
		where moved.os <> moved.ns group by v.status having sum(v.d) <> 0
	)
	insert into customer_expiry_deltas (hour, delta)
	select v.hour, sum(v.d) from moved, lateral (values
		(case when moved.os = 'active' then date_trunc('hour', moved.oe, 'UTC') end, -1),
		(case when moved.ns = 'active' then date_trunc('hour', moved.ne, 'UTC') end, 1)) as v(hour, d)
	where v.hour is not null group by v.hour having sum(v.d) <> 0;
	return null;
end $$`)
await db.query(`drop trigger if exists bench_statement_update on customers`)
await db.query(`create trigger bench_statement_update after update on customers referencing old table as old_rows new table as new_rows for each statement execute function bench_statement_update()`)
const ids = (await db.query<{ id: number }>(`select id from customers order by id limit 1000 offset 5000`)).rows.map((r) => r.id)
const batch = async () => {
	const t = performance.now()
	await db.query(`update customers c set used_bytes = c.used_bytes + u.d from unnest($1::int[], $2::bigint[]) as u(id, d) where c.id = u.id`, [ids, ids.map(() => '1')])
	return performance.now() - t
}
const variants: Record<string, [string, string]> = {
	'row-level trigger with WHEN, as migrated': ['enable', 'disable'],
	'no count trigger': ['disable', 'disable'],
	'statement-level trigger (transition tables, join on id)': ['disable', 'enable'],
}
const runs = Object.fromEntries(Object.keys(variants).map((v) => [v, [] as number[]]))
for (let i = 0; i < 43; i++) {
	for (const [name, [migrated, statementLevel]] of Object.entries(variants)) {
		await db.query(`alter table customers ${migrated} trigger customer_counts_update`)
		await db.query(`alter table customers ${statementLevel} trigger bench_statement_update`)
		const ms = await batch()
		if (i >= 3) runs[name]!.push(ms)
	}
}
for (const [name, ms] of Object.entries(runs)) {
	ms.sort((a, b) => a - b)
	console.log(`  ${name.padEnd(56)} median ${ms[20]!.toFixed(2).padStart(8)} ms   p25 ${ms[10]!.toFixed(2)}  p75 ${ms[30]!.toFixed(2)}`)
}
await db.query(`drop trigger bench_statement_update on customers; drop function bench_statement_update()`)
await db.query(`alter table customers enable trigger customer_counts_update`)

// And what the insert trigger costs one customer's create (a statement of one row, as the
// purchase's execute writes it), rolled back so the table stays as seeded.
console.log('\nsingle-row INSERT of a customer, rolled back (median of 50)')
const insertOne = async () => {
	await db.query('begin')
	await db.query(`insert into customers (username, data_limit_bytes, expire_at, sub_token, updated_at) values ('dash_probe', 1, now(), md5(random()::text), now())`)
	await db.query('rollback')
}
await time('  with the count trigger', insertOne)
await db.query(`alter table customers disable trigger customer_counts_insert`)
await time('  without it', insertOne)
await db.query(`alter table customers enable trigger customer_counts_insert`)

await db.end()
await prisma.$disconnect()
await stop()
