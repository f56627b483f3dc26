// Issue 16, several processes on one database: `npm start` with WEB_CONCURRENCY=2 and two
// `npm run worker` processes, all real child processes on this file's database, against panel
// simulators in this process (reached over real sockets). One scenario, in order:
//   1. a session made on one web process works on the other, and a logout on the other ends it;
//   2. a usage round is split across the two workers, and no node is synced twice at once
//      (each simulator counts the list requests it serves at the same moment);
//   3. the per-node remote rate limit holds across the processes (the slots the database hands out,
//      logged by a trigger, and the writes the simulator received);
//   4. a worker SIGKILLed in the middle of a node's sync (its first batch written, its second page
//      in flight): the other worker takes the job over (decision 020) and finishes the round, and
//      the usage on every node equals the simulator's counters — nothing counted twice;
//   5. every job any process took ran to completion exactly once (the workers' own logs).
// Nothing waits on time: each step polls for the state it needs, with a deadline only as a guard.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { prisma } from '~/utils/db.server'
import { startMarzbanSim, type MarzbanSim } from '../../sim/marzban'
import { SIM_CREDENTIALS } from '../../sim/start-all'
import { createReseller } from '../billing/fixtures'
import { TEST_PASSWORD } from '../factories'
import { createSimNode } from '../usage/fixtures'
import { connection, ensureBuild, freePort, jobsOf, serverPidOf, startWebProcesses, startWorkerProcess, until, type Child } from './processes'

/** Node A's accounts span three list pages of 1000: the kill lands after its first batch. */
const SIZES = { A: 2500, B: 1000, C: 1000, D: 1000 } as const
type Name = keyof typeof SIZES
const NAMES = Object.keys(SIZES) as Name[]
const LIST = 'GET /api/users'
const WRITE = 'PUT /api/user/:username'
/** A silent worker is dead after this long (production: 60 s); short so the takeover is quick. */
const DEAD_AFTER_SEC = 20
const RATE = 4

const sims = {} as Record<Name, MarzbanSim>
const nodes = {} as Record<Name, number>
const children: Child[] = []
let workers: Child[] = []
let web: Child
let port = 0
let resellerUser = ''

beforeAll(async () => {
	ensureBuild()
	const { user, reseller } = await createReseller({ nodeIds: [], fundingModel: 'wallet' })
	resellerUser = user.username
	for (const name of NAMES) {
		sims[name] = await startMarzbanSim({})
		nodes[name] = await createSimNode(`node ${name}`, { kind: 'marzban', baseUrl: sims[name].url, ...SIM_CREDENTIALS.xray })
		await sims[name].control.seed(SIZES[name], name.toLowerCase())
		// Customers whose sub-accounts are the seeded panel accounts (`a_1`, `a_2`, …).
		await prisma.$executeRaw`
			with c as (
				insert into customers (reseller_id, username, data_limit_bytes, expire_at, sub_token, updated_at)
				select ${reseller.id}::int, ${name.toLowerCase()} || 'u' || g, 107374182400, now() + interval '30 days', md5(random()::text || g || ${name}), now()
				from generate_series(1, ${SIZES[name]}::int) g
				returning id, username
			)
			insert into sub_accounts (customer_id, node_id, remote_username, state, updated_at)
			select id, ${nodes[name]}::int, ${name.toLowerCase()} || '_' || substr(username, 3), 'active', now() from c`
	}
	await prisma.$executeRaw`analyze`
	port = await freePort()
	const common = { DATABASE_URL: process.env.DATABASE_URL!, NODE_ENV: 'test' }
	web = startWebProcesses(port, common)
	// One job at a time each, so which process ran what is decided by the test, not by luck.
	workers = ['worker 1', 'worker 2'].map((n) => startWorkerProcess(n, { ...common, WORKER_CONCURRENCY: '1', WORKER_DEAD_AFTER_SEC: String(DEAD_AFTER_SEC) }))
	children.push(web, ...workers)
	// Two pools per process: the bulk and the fast lane (worker/runner.ts), each with its own heartbeat.
	await until('two worker processes × two lanes beating', async () => (await heartbeats()).length === 4 || undefined, { children })
	await until('two web processes', async () => web.output().includes('(2 web processes)') || undefined, { children })
}, 420_000) // a guard: about 30 s on a quiet machine, minutes on a loaded one

afterAll(async () => {
	await Promise.all(children.map((c) => c.stop()))
	await Promise.all(Object.values(sims).map((s) => s.close()))
})

const heartbeats = () => prisma.$queryRaw<Array<{ worker_id: string; pid: number }>>`select worker_id, pid from worker_heartbeats`
const workerByPool = async (poolId: string) => {
	const pid = (await heartbeats()).find((h) => h.worker_id === poolId)?.pid
	return workers.find((w) => w.proc.pid === pid)
}
/** The job of a node's usage sync and who holds it (graphile-worker's locked_by = the pool id). */
const syncJob = async (name: Name) =>
	(await prisma.$queryRaw<Array<{ id: bigint; locked_by: string | null }>>`select id, locked_by from graphile_worker.jobs where key = ${`sync:${nodes[name]}`}`)[0]
const addJob = (task: string, payload: object, extra = '') => prisma.$executeRawUnsafe(`select graphile_worker.add_job($1, $2::json${extra})`, task, JSON.stringify(payload))
/** Usage sync runs of a node since `since` (task_runs, written by the job itself). */
const runsOf = (name: Name, since: Date) => prisma.taskRun.findMany({ where: { task: 'sync_node_usage', nodeId: nodes[name], startedAt: { gte: since } }, orderBy: { startedAt: 'asc' } })
/** Sync jobs due or running. A job whose key moved on to a newer job while it ran (attempts = max) never runs again. */
const pendingSyncs = async () => Number((await prisma.$queryRaw<Array<{ n: bigint }>>`select count(*) as n from graphile_worker.jobs where task_identifier in ('sync_all_nodes', 'sync_node_usage') and run_at <= now() and attempts < max_attempts`)[0]!.n)
/** Σ usage the hub recorded per node, and Σ of the simulator's own counters. */
const hubUsage = async (name: Name) => (await prisma.$queryRaw<Array<{ s: bigint | null }>>`select sum(c.used_bytes)::bigint as s from customers c join sub_accounts s on s.customer_id = c.id where s.node_id = ${nodes[name]}::int`)[0]!.s ?? 0n
const simUsage = (name: Name) => BigInt(sims[name].state.users.values().reduce((a, u) => a + u.used, 0))
/** What a failed wait reports: the usage per node on both sides and the jobs still queued. */
const state = async () => ({
	usage: await Promise.all(NAMES.map(async (n) => ({ n, hub: await hubUsage(n), sim: simUsage(n) }))),
	jobs: await prisma.$queryRaw`select id, task_identifier, key, locked_by, attempts, max_attempts, run_at, last_error from graphile_worker.jobs order by id`,
})
const countedEverywhere = async () => {
	for (const n of NAMES) if ((await hubUsage(n)) !== simUsage(n)) return false
	return true
}

test('sessions, usage rounds, the rate limit and a killed worker across 2 web and 2 worker processes', async () => {
	// 1. A session made on web process P works on web process Q (round-robin: open until they differ).
	const a = connection(port)
	await a.request('GET', '/login')
	const aPid = serverPidOf(port, a.localPort())
	let b = connection(port)
	for (let i = 0; i < 6; i++) {
		await b.request('GET', '/login')
		if (serverPidOf(port, b.localPort()) !== aPid) break
		b.close()
		b = connection(port)
	}
	const bPid = serverPidOf(port, b.localPort())
	expect(aPid).toBeGreaterThan(0)
	expect(bPid).toBeGreaterThan(0)
	expect(bPid).not.toBe(aPid)
	const login = await a.request('POST', '/login', { body: new URLSearchParams({ username: resellerUser, password: TEST_PASSWORD }).toString() })
	expect(login.status).toBe(302)
	const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ')
	const page = await b.request('GET', '/reseller/customers', { cookie })
	expect(serverPidOf(port, b.localPort())).toBe(bPid)
	expect(page.status).toBe(200)
	expect(page.text).toContain('du1000') // the newest customer on the first page, read by the other process
	expect((await b.request('POST', '/logout', { cookie })).status).toBe(302)
	const after = await a.request('GET', '/reseller/customers', { cookie })
	expect(after.status).toBe(302)
	expect(after.headers.location).toMatch(/^\/login/)
	a.close()
	b.close()

	// 2. A round split across the workers: node A's walk waits on its first page, so the worker
	// holding it is busy and the other must sync B, C and D meanwhile.
	for (const n of NAMES) sims[n].control.addTraffic(1_048_576)
	const round1 = new Date()
	const heldA = sims.A.control.hold({ method: 'GET', pathPrefix: '/api/users' })
	await addJob('sync_all_nodes', {})
	await heldA.arrived
	const holderA = (await until('node A job locked', async () => (await syncJob('A'))?.locked_by ?? undefined, { children }))!
	const workerA = (await workerByPool(holderA))!
	const other = workers.find((w) => w !== workerA)!
	for (const n of ['B', 'C', 'D'] as const) await until(`node ${n} synced while A waits`, async () => (await runsOf(n, round1)).some((r) => r.finishedAt && !r.error) || undefined, { children })
	expect((await runsOf('A', round1)).every((r) => !r.finishedAt)).toBe(true)
	expect(jobsOf(other.output()).completed.filter((j) => j.task === 'sync_node_usage').length).toBeGreaterThanOrEqual(3)
	heldA.release()
	await until('round 1 counted on every node', async () => (await pendingSyncs()) === 0 && (await countedEverywhere()), { children, state })
	expect(jobsOf(workerA.output()).completed.some((j) => j.task === 'sync_node_usage')).toBe(true)

	// 3. The rate limit across processes: 20 of D's customers cross their quota in one sync; the
	// reconciles that disable them run in both workers. A trigger logs every slot the limiter
	// hands out (nodes.rate_next_at moving: slot = new value − one interval).
	await prisma.node.update({ where: { id: nodes.D }, data: { rateLimitPerSec: RATE } })
	await prisma.$executeRawUnsafe(`create table scale_slots (node_id int, next_at timestamptz)`)
	await prisma.$executeRawUnsafe(`create function scale_log_slot() returns trigger language plpgsql as $$ begin
		if new.rate_next_at is distinct from old.rate_next_at and new.rate_next_at is not null then insert into scale_slots values (new.id, new.rate_next_at); end if;
		return new; end $$`)
	await prisma.$executeRawUnsafe(`create trigger scale_log_slot after update on nodes for each row execute function scale_log_slot()`)
	const crossing = await prisma.subAccount.findMany({ where: { nodeId: nodes.D }, orderBy: { id: 'asc' }, take: 20, select: { customerId: true, remoteUsername: true } })
	await prisma.$executeRaw`update customers set data_limit_bytes = used_bytes + 524288 where id = any(${crossing.map((c) => c.customerId)}::int[])`
	const writes: number[] = []
	const count = sims.D.control.count.bind(sims.D.control)
	sims.D.control.count = (route: string) => (route === WRITE && writes.push(Date.now()), count(route))
	const before = { 1: jobsOf(workers[0]!.output()).completed.length, 2: jobsOf(workers[1]!.output()).completed.length }
	sims.D.control.addTraffic(Object.fromEntries(crossing.map((c) => [c.remoteUsername, 1_048_576])))
	await addJob('sync_node_usage', { nodeId: nodes.D }, `, queue_name := 'node:${nodes.D}', job_key := 'sync:${nodes.D}'`)
	await until('the 20 crossing customers disabled on node D', async () => crossing.every((c) => sims.D.state.users.get(c.remoteUsername)!.status === 'disabled') || undefined, { children })
	await until('no panel work left for them', async () => Number((await prisma.$queryRaw<Array<{ n: bigint }>>`select count(*) as n from graphile_worker.jobs where key = any(${crossing.map((c) => `customer:${c.customerId}`)}::text[])`)[0]!.n) === 0 || undefined, { children })
	sims.D.control.count = count
	const slots = (await prisma.$queryRaw<Array<{ ms: number }>>`select extract(epoch from next_at) * 1000 - ${1000 / RATE}::float8 as ms from scale_slots where node_id = ${nodes.D}::int order by next_at`).map((s) => s.ms)
	expect(writes.length).toBeGreaterThanOrEqual(20) // at least the disable of each
	expect(slots).toHaveLength(writes.length) // every write had a slot of its own
	expect(maxInWindow(slots)).toBeLessThanOrEqual(RATE)
	writes.forEach((t, k) => expect(t, `write ${k}`).toBeGreaterThanOrEqual(slots[k]! - 2)) // no write before its slot
	const reconcilesBy = (w: Child, skip: number) => jobsOf(w.output()).completed.slice(skip).filter((j) => j.task === 'reconcile_customer').length
	expect(reconcilesBy(workers[0]!, before[1])).toBeGreaterThan(0) // both processes wrote to the node
	expect(reconcilesBy(workers[1]!, before[2])).toBeGreaterThan(0)

	// 4. Kill the worker in the middle of node A's sync: its first batch (1000 accounts) is written,
	// its second page is in flight. The other worker takes the job over and finishes the round.
	for (const n of NAMES) sims[n].control.addTraffic(2_097_152)
	const round2 = new Date()
	const mid = sims.A.control.hold({ method: 'GET', pathPrefix: '/api/users', skip: 1 })
	await addJob('sync_all_nodes', {})
	await mid.arrived
	const twoRounds = 1_048_576n + 2_097_152n
	await until('node A: first batch of round 2 written', async () => Number((await prisma.$queryRaw<Array<{ n: bigint }>>`select count(*) as n from sub_accounts where node_id = ${nodes.A}::int and last_counter = ${twoRounds}`)[0]!.n) === 1000 || undefined, { children })
	const job = (await syncJob('A'))!
	const victim = (await workerByPool(job.locked_by!))!
	const survivor = workers.find((w) => w !== victim)!
	victim.proc.kill('SIGKILL')
	await victim.exited
	const killedAt = new Date()
	mid.release()
	await until('round 2 finished by the surviving worker', async () => (await pendingSyncs()) === 0 && (await countedEverywhere()), { deadlineMs: 180_000, children, state })
	for (const n of NAMES) expect(await hubUsage(n), `node ${n}`).toBe(simUsage(n)) // nothing counted twice, nothing lost
	expect(await hubUsage('A')).toBe(BigInt(SIZES.A) * twoRounds)
	// The victim had two pools (decision 028): one sweep may free both, in either order.
	expect(survivor.output()).toMatch(new RegExp(`unlocked the jobs of silent worker\\(s\\) [^\\n]*${job.locked_by}`))
	expect(jobsOf(victim.output()).found.map((j) => j.id)).toContain(String(job.id))
	// The killed job is either run again by the survivor, or — when a cron tick queued node A's next
	// sync while it was locked — superseded: graphile-worker's add_job then moves the key to a new
	// job and retires the locked one (attempts = max_attempts), and the new one ran instead. Either
	// way it needed the unlock: the node's queue was locked by the dead process.
	const superseded = (await prisma.$queryRaw<Array<{ id: bigint }>>`select id from graphile_worker.jobs where id = ${job.id} and key is null and attempts >= max_attempts and locked_at is null`).length > 0
	if (!superseded) expect(jobsOf(survivor.output()).completed.map((j) => j.id)).toContain(String(job.id))
	// The killed run never finished; the takeover started after the kill, never beside it.
	const runsA = await runsOf('A', round1)
	expect(runsA.filter((r) => !r.finishedAt)).toHaveLength(1)
	expect(runsA.filter((r) => !r.finishedAt)[0]!.startedAt.getTime()).toBeLessThan(killedAt.getTime())
	expect(runsA.some((r) => r.finishedAt && !r.error && r.startedAt.getTime() >= killedAt.getTime() - 2)).toBe(true)

	// No node was ever synced twice at once: each simulator served one list request at a time.
	for (const n of NAMES) expect(sims[n].control.stats().maxInFlight[LIST], `node ${n}`).toBe(1)

	// 5. Exactly once: no job completed twice; a job two processes took is only the killed one's.
	await survivor.stop()
	const logs = workers.map((w) => jobsOf(w.output()))
	const completed = logs.flatMap((l) => l.completed.map((j) => j.id))
	expect(completed.length).toBeGreaterThanOrEqual(30)
	expect(new Set(completed).size).toBe(completed.length)
	// Taken by both processes: the killed job, and otherwise only a job that failed once and was retried.
	const [one, two] = logs.map((l) => new Set(l.found.map((j) => j.id)))
	const retried = new Set(logs.flatMap((l) => l.failed.map((j) => j.id)))
	expect([...one!].filter((id) => two!.has(id) && !retried.has(id))).toEqual(superseded ? [] : [String(job.id)])
	const finished = new Set([...completed, ...logs.flatMap((l) => l.failed.map((j) => j.id)), ...(superseded ? [String(job.id)] : [])])
	const unfinished = logs.flatMap((l) => l.found.map((j) => j.id)).filter((id) => !finished.has(id))
	expect(unfinished).toEqual([]) // the killed job finished elsewhere; everything taken was done
	expect(Number((await prisma.$queryRaw<Array<{ n: bigint }>>`select count(*) as n from graphile_worker.jobs where locked_at is not null`)[0]!.n)).toBe(0)
}, 600_000)

/** The most instants in any window [t, t + ms). */
function maxInWindow(times: number[], ms = 1000) {
	const t = [...times].sort((a, b) => a - b)
	let best = 0
	for (let i = 0, j = 0; j < t.length; j++) {
		while (t[j]! - t[i]! >= ms) i++
		best = Math.max(best, j - i + 1)
	}
	return best
}
