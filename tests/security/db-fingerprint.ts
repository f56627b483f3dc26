// A fingerprint of every application table — row count and a checksum of the rows — to prove a
// refused request wrote nothing. Left out on purpose:
// - sessions: every case logs in afresh and /logout deletes its session, by design;
// - login_throttles: counting failed logins is what a refused login is supposed to write;
// - _prisma_migrations: not application data;
// - the graphile_worker schema: the queue's own bookkeeping. A job is only ever added inside the
//   transaction of an order, ledger entry or audit event (services/jobs.server.ts), which are checksummed here.
import { prisma } from '~/utils/db.server'

const EXCLUDED = ['sessions', 'login_throttles', '_prisma_migrations']

let sql: string | null = null

async function fingerprintSql() {
	if (sql) return sql
	const tables = await prisma.$queryRaw<Array<{ name: string }>>`
		select table_name as name from information_schema.tables
		where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`
	const kept = tables.map((t) => t.name).filter((n) => !EXCLUDED.includes(n))
	if (kept.length < 10) throw new Error(`expected the application tables, found ${kept.join(', ')}`)
	sql = kept
		.map((n) => `select '${n}' as t, count(*)::int as n, md5(coalesce(string_agg(md5(x::text), '' order by md5(x::text)), '')) as h from "${n}" x`)
		.join(' union all ')
	return sql
}

export type Fingerprint = Record<string, string>

export async function fingerprint(): Promise<Fingerprint> {
	const rows = await prisma.$queryRawUnsafe<Array<{ t: string; n: number; h: string }>>(await fingerprintSql())
	return Object.fromEntries(rows.map((r) => [r.t, `${r.n}:${r.h}`]))
}

/** The tables whose fingerprint differs, for a readable failure. */
export function changedTables(before: Fingerprint, after: Fingerprint) {
	return Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t])
}
