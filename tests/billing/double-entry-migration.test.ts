// The double-entry migration (20261201210000) turns every existing single-entry row into a
// balanced transaction without changing any balance: run the real migration files on a scratch
// database holding random old-shape ledgers, and compare every balance before and after.
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dropDatabase, ensureDatabase, withDatabase } from '../../scripts/lib/embedded-postgres'

const DOUBLE_ENTRY = '20261201210000_double_entry_ledger'
const dirs = readdirSync('prisma/migrations').filter((d) => /^\d{14}_/.test(d)).sort()
const before = dirs.filter((d) => d < DOUBLE_ENTRY)
const serverUrl = new URL(process.env.DATABASE_URL!)
serverUrl.pathname = '/postgres'
const name = `mig_${randomBytes(5).toString('hex')}`
let db: pg.Client

/** A small seeded generator, so a failure names the data that caused it. */
function rng(seed: number) {
	return () => {
		seed = (seed * 1103515245 + 12345) % 2 ** 31
		return seed / 2 ** 31
	}
}

beforeAll(async () => {
	await ensureDatabase(serverUrl.toString(), name)
	db = new pg.Client({ connectionString: withDatabase(serverUrl.toString(), name) })
	await db.connect()
	for (const d of before) await db.query(readFileSync(join('prisma/migrations', d, 'migration.sql'), 'utf8'))
})

afterAll(async () => {
	await db?.end()
	await dropDatabase(serverUrl.toString(), name)
})

describe('double-entry ledger migration', () => {
	it('keeps every wallet and pool balance, every row and its chain, and balances every transaction', async () => {
		const rand = rng(7)
		const kinds = { money: ['charge', 'reversal', 'node_credit', 'refund', 'adjustment_credit', 'adjustment_debit', 'top_up'], traffic: ['adjustment_credit', 'pool_usage', 'top_up'] } as const
		for (let r = 1; r <= 6; r++) {
			await db.query(`insert into users (id, username, password_hash, role, updated_at) values ($1, $2, 'x', 'reseller', now())`, [r, `r${r}`])
			await db.query(`insert into resellers (id, user_id, name, currency, updated_at) values ($1, $1, $2, 'IRR', now())`, [r, `R${r}`])
			for (const account of ['money', 'traffic'] as const) {
				let balance = 0n
				const n = Math.floor(rand() * 40)
				for (let i = 0; i < n; i++) {
					const kind = kinds[account][Math.floor(rand() * kinds[account].length)]!
					const sign = ['charge', 'adjustment_debit', 'pool_usage'].includes(kind) ? -1n : 1n
					const amount = sign * BigInt(1 + Math.floor(rand() * 1_000_000))
					await db.query(
						`insert into ledger_entries (reseller_id, account, amount, currency, balance_before, balance_after, kind, ref_type, ref_id, idempotency_key)
						 values ($1, $2, $3, $4, $5, $6, $7, 'order', $8, $9)`,
						[r, account, amount.toString(), account === 'money' ? 'IRR' : 'B', balance.toString(), (balance + amount).toString(), kind, String(i), `k:${r}:${account}:${i}`],
					)
					balance += amount
				}
				await db.query(`update resellers set ${account === 'money' ? 'balance' : 'pool_bytes'} = $2 where id = $1`, [r, balance.toString()])
			}
		}
		const snapshot = async () =>
			(await db.query(`select r.id, r.balance::text, r.pool_bytes::text,
				(select coalesce(sum(amount), 0)::text from ledger_entries e where e.reseller_id = r.id and e.account = 'money') as money_sum,
				(select coalesce(sum(amount), 0)::text from ledger_entries e where e.reseller_id = r.id and e.account = 'traffic') as traffic_sum,
				(select count(*)::int from ledger_entries e where e.reseller_id = r.id) as rows
				from resellers r order by r.id`)).rows
		const rowsBefore = (await db.query(`select id::text, reseller_id, amount::text, balance_before::text, balance_after::text, kind, idempotency_key from ledger_entries order by id`)).rows
		const pre = await snapshot()
		expect(pre.reduce((n, r) => n + r.rows, 0)).toBeGreaterThan(50)

		await db.query(readFileSync(join('prisma/migrations', DOUBLE_ENTRY, 'migration.sql'), 'utf8'))

		expect(await snapshot()).toEqual(pre)
		for (const r of pre) {
			expect(r.money_sum, `reseller ${r.id} money`).toBe(r.balance)
			expect(r.traffic_sum, `reseller ${r.id} pool`).toBe(r.pool_bytes)
		}
		// the old rows are untouched: the same ids, amounts, balances and keys, each now a wallet leg
		const after = (await db.query(`select id::text, reseller_id, amount::text, balance_before::text, balance_after::text, kind, idempotency_key from ledger_entries where reseller_id is not null order by id`)).rows
		expect(after).toEqual(rowsBefore)
		const unbalanced = await db.query(`select transaction_id from ledger_entries group by transaction_id, currency having sum(amount) <> 0 or count(*) <> 2`)
		expect(unbalanced.rows).toEqual([])
		const txCount = await db.query(`select count(*)::int as n from ledger_transactions`)
		expect(txCount.rows[0].n).toBe(rowsBefore.length)
		// new transactions get fresh ids after the migrated ones
		const next = await db.query(`select nextval(pg_get_serial_sequence('ledger_transactions', 'id'))::text as id`)
		expect(BigInt(next.rows[0].id)).toBeGreaterThan(BigInt(rowsBefore.at(-1)!.id))
		// and the counter legs of charges are revenue, of adjustments cash:manual, of pool usage traffic:consumed
		const counters = (await db.query(`select distinct e.kind, e.account::text, e.account_code from ledger_entries e where e.reseller_id is null order by 1, 2`)).rows
		for (const c of counters) {
			if (c.account === 'traffic') expect(c.account_code).toBe(c.kind === 'pool_usage' ? 'traffic:consumed' : 'traffic:issued')
			else expect(c.account_code).toBe(c.kind.startsWith('adjustment') || c.kind === 'top_up' ? 'cash:manual' : 'revenue')
		}
	})
})
