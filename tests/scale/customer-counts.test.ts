// Issue 16: the dashboard's customer counts come from deltas written by statement triggers on
// customers (migration 20261203040000), not from count(*). Every step compares them with a real
// count(*) — after inserts, status changes, deletes, a usage-sync-style batch update, writers on
// several connections (committed and rolled back), compaction racing writers, and random work
// from several clients at once.
import { quickAddJob, runOnce } from 'graphile-worker'
import pg from 'pg'
import { afterAll, describe, expect, test } from 'vitest'
import { CustomerStatus } from '~/generated/prisma/enums'
import { customerStates } from '~/models/admin-daily.server'
import { activeExpiringBetween, customerCountsByStatus } from '~/models/customer-counts.server'
import { loader as dashboardLoader } from '~/routes/admin+/index'
import { compactCustomerCounts } from '~/services/customer-counts.server'
import { prisma } from '~/utils/db.server'
import { env } from '~/utils/env.server'
import { taskList } from '../../worker/tasks/index'
import { loginAs } from '../factories'
import { getRequest } from '../helpers'

const STATUSES = Object.values(CustomerStatus)
const DAY = 24 * 60 * 60_000
const clients: pg.Client[] = []
afterAll(async () => {
	await Promise.all(clients.map((c) => c.end()))
})

/** A connection of its own, as another app or worker process would hold. */
async function connection() {
	const c = new pg.Client({ connectionString: env().DATABASE_URL })
	await c.connect()
	clients.push(c)
	return c
}

let serial = 0
/** `n` store customers (no owner, no sub-accounts: free to delete) in one INSERT statement, expiring from 16 h ago to 100 h ahead. */
function insertSql(n: number, status: CustomerStatus = 'active') {
	const tag = `${process.pid}_${serial++}`
	return {
		text: `insert into customers (username, data_limit_bytes, expire_at, sub_token, status, updated_at)
			select 'cc_' || $1::text || '_' || g, 1000, now() + (((g * 37) % 7000) - 1000) * interval '1 minute', 'cc_' || $1::text || '_' || g, $2::"CustomerStatus", now()
			from generate_series(1, $3::int) g`,
		values: [tag, status, n],
	}
}

async function insertCustomers(n: number, status: CustomerStatus = 'active', db: pg.Client | null = null) {
	const q = insertSql(n, status)
	await (db ?? (await shared())).query(q.text, q.values)
}

let sharedClient: pg.Client | undefined
const shared = async () => (sharedClient ??= await connection())

async function truth() {
	const rows = await prisma.$queryRaw<Array<{ status: CustomerStatus; n: bigint }>>`select status::text as status, count(*) as n from customers group by status`
	const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<CustomerStatus, number>
	for (const r of rows) counts[r.status] = Number(r.n)
	return counts
}

// Windows of "expiring between": the dashboard's 3 days, one with both edges inside hours, one
// shorter than an hour, one reaching into the past.
const windows = (now = Date.now()) => [
	[now, now + 3 * DAY],
	[now + 77 * 60_000, now + 29 * 3_600_000 + 123_456],
	[now + 5 * 60_000, now + 40 * 60_000],
	[now - 20 * 3_600_000, now + 2 * DAY],
].map(([from, to]) => [new Date(from!), new Date(to!)] as const)

async function expectExact() {
	const t = await truth()
	expect(await customerCountsByStatus()).toEqual(t)
	for (const [from, to] of windows()) {
		expect(await activeExpiringBetween(from, to)).toBe(await prisma.customer.count({ where: { status: 'active', expireAt: { gte: from, lte: to } } }))
	}
	return t
}

const deltaRows = async () => Number((await prisma.$queryRaw<Array<{ n: bigint }>>`select count(*) as n from customer_count_deltas`)[0]!.n)
const expiryRows = async () => Number((await prisma.$queryRaw<Array<{ n: bigint }>>`select count(*) as n from customer_expiry_deltas`)[0]!.n)

describe('customer counts kept by triggers', () => {
	test('inserts, status changes, soft and hard deletes: equal to count(*) after each step', async () => {
		await expectExact()
		await prisma.customer.create({ data: { username: 'cc_one', dataLimitBytes: 1n, expireAt: new Date(Date.now() + DAY), subToken: 'cc_one_token' } })
		expect((await expectExact()).active).toBeGreaterThanOrEqual(1)
		await insertCustomers(300)
		await insertCustomers(40, 'disabled')
		await expectExact()
		const db = await shared()
		await db.query(`update customers set status = 'limited' where username like 'cc\\_%' and status = 'active' and id % 3 = 0`)
		await expectExact()
		// one statement that moves rows both ways between two states
		await db.query(`update customers set status = case status when 'limited' then 'active'::"CustomerStatus" else 'limited'::"CustomerStatus" end where status in ('limited', 'active') and id % 5 = 0`)
		await expectExact()
		// renewals and shortened expiries move active customers between hours of expiry
		await db.query(`update customers set expire_at = expire_at + (id % 50) * interval '13 minutes' where id % 2 = 0`)
		await db.query(`update customers set expire_at = expire_at - interval '2 days', status = case when id % 3 = 0 then 'disabled'::"CustomerStatus" else status end where id % 11 = 0`)
		await expectExact()
		await db.query(`update customers set status = 'deleted' where id % 7 = 0`)
		const t = await expectExact()
		expect(t.deleted).toBeGreaterThan(0)
		await db.query(`delete from customers where username like 'cc\\_%' and id % 4 = 0`)
		await db.query(`delete from customers where username = 'cc_one'`)
		await expectExact()
	})

	test('a usage-sync batch UPDATE of 1,000 customers that changes no status writes no delta', async () => {
		await insertCustomers(1000)
		const db = await shared()
		const { rows } = await db.query<{ id: number }>(`select id from customers order by id desc limit 1000`)
		const before = await deltaRows()
		const expiryBefore = await expiryRows()
		// the shape of the batch writer's statement: one UPDATE … FROM unnest of 1,000 ids
		await db.query(
			`update customers c set used_bytes = c.used_bytes + u.d from unnest($1::int[], $2::bigint[]) as u(id, d) where c.id = u.id`,
			[rows.map((r) => r.id), rows.map(() => '1048576')],
		)
		expect(await deltaRows()).toBe(before)
		expect(await expiryRows()).toBe(expiryBefore)
		// the same batch limiting a few over quota writes deltas for those few only
		await db.query(`update customers c set used_bytes = c.used_bytes + 1, status = case when c.id % 100 = 0 then 'limited'::"CustomerStatus" else c.status end where c.id = any($1::int[])`, [rows.map((r) => r.id)])
		// (a row trigger: −1 active, +1 limited per customer it moved)
		expect((await deltaRows()) - before).toBe(2 * rows.filter((r) => r.id % 100 === 0).length)
		await expectExact()
	})

	test('writers on several connections, committed and rolled back, interleaved', async () => {
		const writers = await Promise.all(Array.from({ length: 4 }, () => connection()))
		for (const w of writers) await w.query('begin')
		// all four hold uncommitted inserts at once: none waits for another (insert-only deltas)
		await Promise.all(writers.map((w, i) => insertCustomers(10 + i, i % 2 ? 'disabled' : 'active', w)))
		// skip locked: each takes rows no other holds (waiting would block this test on itself)
		await Promise.all(writers.map((w) => w.query(`update customers set status = 'expired' where id in (select id from customers where status = 'active' order by id limit 3 for update skip locked)`)))
		await expectExact() // uncommitted work is in neither count
		await writers[0]!.query('commit')
		await writers[1]!.query('rollback')
		await expectExact()
		await writers[2]!.query('commit')
		await writers[3]!.query('commit')
		await expectExact()
	})

	test('compaction folds to one row per state, exact while a writer has uncommitted deltas', async () => {
		await insertCustomers(2)
		await insertCustomers(2)
		const writer = await connection()
		await writer.query('begin')
		await insertCustomers(25, 'active', writer)
		const before = await expectExact()
		const folded = await compactCustomerCounts()
		expect(folded).toBeGreaterThan(0)
		expect(await customerCountsByStatus()).toEqual(before)
		const perState = await prisma.$queryRaw<Array<{ n: bigint }>>`select count(*) as n from customer_count_deltas group by status`
		expect(perState.every((r) => r.n === 1n)).toBe(true)
		// one row per hour of expiry, none for an hour more than a day past
		const perHour = await prisma.$queryRaw<Array<{ n: bigint; hour: Date }>>`select count(*) as n, min(hour) as hour from customer_expiry_deltas group by hour`
		expect(perHour.length).toBeGreaterThan(10)
		expect(perHour.every((r) => r.n === 1n && r.hour.getTime() >= Math.floor(Date.now() / 3_600_000) * 3_600_000 - DAY - 60_000)).toBe(true)
		// the writer's delta was not visible to the compaction, so it was not folded: it counts on commit
		await writer.query('commit')
		expect((await expectExact()).active).toBe(before.active + 25)
		// an idle table is left alone
		await compactCustomerCounts()
		expect(await compactCustomerCounts()).toBe(0)
		await expectExact()
	})

	test('the compaction job runs through graphile-worker', async () => {
		await insertCustomers(3)
		await insertCustomers(2, 'disabled')
		const before = await expectExact()
		await quickAddJob({ connectionString: env().DATABASE_URL }, 'compact_customer_counts', {})
		await runOnce({ connectionString: env().DATABASE_URL, taskList })
		expect(await customerCountsByStatus()).toEqual(before)
		expect(await deltaRows()).toBe(STATUSES.filter((s) => before[s] !== 0).length)
		expect(Number((await prisma.$queryRaw<Array<{ n: bigint }>>`select count(*) as n from graphile_worker.jobs`)[0]!.n)).toBe(0)
	})

	test('random work from five clients at once, compactions among it: counts equal count(*)', async () => {
		// A fixed seed: a failure replays the same operations.
		let seed = 16
		const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
		const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!
		const writers = await Promise.all(Array.from({ length: 5 }, () => connection()))
		const plans = writers.map(() => Array.from({ length: 30 }, () => ({ op: pick(['insert', 'insert', 'status', 'status', 'extend', 'delete', 'sync', 'compact'] as const), status: pick(STATUSES), other: pick(STATUSES), n: 1 + Math.floor(rand() * 20), mod: 2 + Math.floor(rand() * 9), rollback: rand() < 0.2 })))
		await Promise.all(
			writers.map(async (w, i) => {
				for (const p of plans[i]!) {
					if (p.op === 'compact') {
						await compactCustomerCounts()
						continue
					}
					await w.query('begin')
					if (p.op === 'insert') await insertCustomers(p.n, p.status, w)
					// skip locked: two clients never wait on one row (a deadlock would only fail the test)
					if (p.op === 'status') await w.query(`update customers set status = $1::"CustomerStatus" where id in (select id from customers where status = $2::"CustomerStatus" and id % $3::int = 0 limit 50 for update skip locked)`, [p.status, p.other, p.mod])
					if (p.op === 'delete') await w.query(`delete from customers where id in (select id from customers where username like 'cc\\_%' and id % $1::int = 1 limit 20 for update skip locked)`, [p.mod])
					if (p.op === 'extend') await w.query(`update customers set expire_at = expire_at + $2::int * interval '7 minutes' where id in (select id from customers where id % $1::int = 0 limit 100 for update skip locked)`, [p.mod, p.n - 10])
					if (p.op === 'sync') await w.query(`update customers set used_bytes = used_bytes + 1 where id in (select id from customers where id % $1::int = 0 limit 200 for update skip locked)`, [p.mod])
					await w.query(p.rollback ? 'rollback' : 'commit')
				}
			}),
		)
		await expectExact()
		await compactCustomerCounts()
		await expectExact()
	})
})

describe('the dashboard reads them', () => {
	test('states, live customers and "expiring within 3 days" (active only, window inclusive) match count(*)', async () => {
		const now = new Date()
		const soon = new Date(now.getTime() + 3 * DAY)
		await prisma.customer.createMany({
			data: [
				{ username: 'cc_exp_edge', dataLimitBytes: 1n, expireAt: soon, subToken: 'cc_exp_edge' },
				{ username: 'cc_exp_past', dataLimitBytes: 1n, expireAt: new Date(now.getTime() - 1000), subToken: 'cc_exp_past' },
				{ username: 'cc_exp_later', dataLimitBytes: 1n, expireAt: new Date(soon.getTime() + 1000), subToken: 'cc_exp_later' },
				{ username: 'cc_exp_limited', dataLimitBytes: 1n, expireAt: now, status: 'limited', subToken: 'cc_exp_limited' },
			],
		})
		const expiring = await prisma.customer.count({ where: { status: 'active', expireAt: { gte: now, lte: soon } } })
		expect(await activeExpiringBetween(now, soon)).toBe(expiring)
		const t = await truth()
		const states = await customerStates(now)
		expect(states).toEqual({ active: t.active, expiringSoon: expiring, limited: t.limited, disabled: t.disabled, expired: t.expired, live: STATUSES.reduce((s, k) => (k === 'deleted' ? s : s + t[k]), 0) })
		const { cookie } = await loginAs('admin')
		const page = (await dashboardLoader({ request: getRequest('/admin', cookie), params: {}, context: {} })) as Awaited<ReturnType<typeof dashboardLoader>>
		expect(page.customers).toBe(await prisma.customer.count({ where: { status: { not: 'deleted' } } }))
		expect(page.customerStates.active).toBe(t.active)
	})
})
