// Raw SQL on the app's own pg pool, without the ORM: the same tagged-template API as Prisma's
// `$queryRaw` / `$executeRaw` (so one SQL definition serves both), the same parameters on the
// wire and the same JavaScript values back. Why: a purchase's execute is a dozen raw statements,
// and through Prisma each one paid its client runtime and query compiler in our process — about
// 40 % of the server's CPU per confirm in the burst bench (docs/benchmarks.md), more than the
// statements themselves. The hot path (the create execute, the session lookup) runs here; every
// other query keeps the ORM. Both share one pool (utils/db.server.ts).
import { createHash } from 'node:crypto'
import pg from 'pg'
import { Prisma } from '~/generated/prisma/client'

/** What the raw helpers need: Prisma's client, its transaction, or a SqlClient below. */
export interface SqlDb {
	$queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): PromiseLike<T>
	$executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): PromiseLike<number>
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** As @prisma/adapter-pg's formatDateTime: the UTC wall clock, no offset (timestamp(3) columns hold UTC). */
function formatDateTime(d: Date) {
	const ms = d.getUTCMilliseconds()
	return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${ms ? `.${pad(ms, 3)}` : ''}`
}

/** A parameter as Prisma sends it: BigInt as its digits, a Date as UTC wall clock. */
function param(v: unknown): unknown {
	if (typeof v === 'bigint') return v.toString()
	if (v instanceof Date) return formatDateTime(v)
	if (Array.isArray(v)) return v.map(param)
	return v
}

// Results as Prisma's $queryRaw gives them: int8 → BigInt, timestamp (stored as UTC) → Date,
// date → UTC midnight, numeric → Decimal; json/jsonb, int4, bool, timestamptz as pg parses them.
const OID = { int8: 20, int8Array: 1016, timestamp: 1114, timestampArray: 1115, date: 1082, numeric: 1700 } as const
const utcTimestamp = (s: string) => new Date(`${s.replace(' ', 'T')}Z`)
const TEXT_ARRAY = 1009
const parseTextArray = (pg.types.getTypeParser as (oid: number) => (s: string) => Array<string | null>)(TEXT_ARRAY)
const arrayOf = <T,>(parse: (s: string) => T) => (s: string) => parseTextArray(s).map((x) => (x == null ? x : parse(x)))
const parsers: Record<number, (s: string) => unknown> = {
	[OID.int8]: (s) => BigInt(s),
	[OID.int8Array]: arrayOf((s) => BigInt(s)),
	[OID.timestamp]: utcTimestamp,
	[OID.timestampArray]: arrayOf(utcTimestamp),
	[OID.date]: (s) => new Date(`${s}T00:00:00Z`),
	[OID.numeric]: (s) => new Prisma.Decimal(s),
}
const types = { getTypeParser: (oid: number, format?: 'text' | 'binary') => parsers[oid] ?? pg.types.getTypeParser(oid, format) } as pg.CustomTypesConfig

const toSql = (query: TemplateStringsArray | Prisma.Sql, values: unknown[]) => (query instanceof Prisma.Sql ? query : Prisma.sql(query, ...(values as Prisma.Sql[])))

// Named (prepared) statements: Postgres parses and analyses a statement once per connection and,
// after five runs, reuses a generic plan — a confirm's dozen statements otherwise pay parse and
// plan every time, a large share of Postgres's CPU per confirm (docs/benchmarks.md). The names
// are bounded: texts built with a variable shape (IN lists of any length) could otherwise grow
// each connection's statement cache without end, so past MAX_NAMED texts go unnamed.
// A name is the hash of its text, not a counter: a connection of the shared pool may have been
// given statements by another copy of this module (the dev server re-evaluates a module on change
// while the pool lives on in a global), and with counters two texts met as "g0" on one connection
// ("Prepared statements must be unique - 'g0' was used for a different statement").
const MAX_NAMED = 400
const names = new Map<string, string>()
function statementName(text: string): string | undefined {
	if (process.env.SQL_PREPARE === '0') return undefined
	let name = names.get(text)
	if (name === undefined && names.size < MAX_NAMED) names.set(text, (name = `g${createHash('sha1').update(text).digest('base64url').slice(0, 22)}`))
	return name
}
const unnamed = new WeakSet<Prisma.Sql>()
/**
 * Runs `query` as an unnamed statement, planned for its own values every time. For a search whose
 * best plan depends on the pattern (a trigram index for a rare term, the id walk for a common one):
 * a prepared statement's generic plan after five runs would pick one plan for every pattern.
 */
export function planEachTime(query: Prisma.Sql): Prisma.Sql {
	unnamed.add(query)
	return query
}
const queryOf = (sql: Prisma.Sql) => ({ name: unnamed.has(sql) ? undefined : statementName(sql.text), text: sql.text, values: sql.values.map(param), types })

/** Raw SQL on one pg connection (a transaction's) or on the pool. */
export class SqlClient implements SqlDb {
	constructor(private readonly db: pg.Pool | pg.PoolClient) {}

	async $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<T> {
		const result = await this.db.query(queryOf(toSql(query, values)))
		return result.rows as T
	}

	async $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<number> {
		return (await this.db.query(queryOf(toSql(query, values)))).rowCount ?? 0
	}

	/**
	 * A fixed statement text with positional parameters ($1…), named like the others: for a long
	 * statement that uses a parameter several times (the usage batch), where a template would send
	 * each use as a parameter of its own.
	 */
	async queryText<T = unknown>(text: string, values: unknown[]): Promise<T[]> {
		const result = await this.db.query({ name: statementName(text), text, values: values.map(param), types })
		return result.rows as T[]
	}

	/** As queryText, for a statement whose count of affected rows is the answer. */
	async executeText(text: string, values: unknown[]): Promise<number> {
		return (await this.db.query({ name: statementName(text), text, values: values.map(param), types })).rowCount ?? 0
	}
}

/**
 * The ORM behind `db`, for a step that needs it. Callers run only raw steps on a SqlClient (the
 * create execute); meeting one here is a programming error, not a request's.
 */
export function orm<T>(db: T | SqlClient): T {
	if (db instanceof SqlClient) throw new Error('this step needs the ORM (a Prisma transaction), not a SqlClient')
	return db
}

export class PoolTimeoutError extends Error {
	constructor(ms: number) {
		super(`Unable to start a transaction in the given time (no pool connection in ${ms} ms)`)
	}
}

/** A connection from `pool` within `maxWaitMs`; one that arrives later goes straight back. */
async function connect(pool: pg.Pool, maxWaitMs: number) {
	let timer: NodeJS.Timeout | undefined
	let late = false
	const pending = pool.connect()
	try {
		return await Promise.race([pending, new Promise<never>((_, reject) => (timer = setTimeout(() => ((late = true), reject(new PoolTimeoutError(maxWaitMs))), maxWaitMs)))])
	} finally {
		clearTimeout(timer)
		if (late) void pending.then((c) => c.release(), () => {})
	}
}

/**
 * `fn` in one transaction on a pooled connection: BEGIN, fn, COMMIT — ROLLBACK if fn throws. A
 * connection whose transaction could not even be rolled back is discarded, not reused.
 */
export async function sqlTransaction<T>(
	pool: pg.Pool,
	fn: (tx: SqlClient) => Promise<T>,
	{ maxWaitMs, statementTimeoutMs }: { maxWaitMs: number; /** Bounds each statement (set local), in the BEGIN's round trip. */ statementTimeoutMs?: number },
): Promise<T> {
	const client = await connect(pool, maxWaitMs)
	let broken: Error | undefined
	try {
		await client.query(statementTimeoutMs ? `begin; set local statement_timeout = ${Math.floor(statementTimeoutMs)}` : 'begin')
		const result = await fn(new SqlClient(client))
		await client.query('commit')
		return result
	} catch (e) {
		await client.query('rollback').catch((rollbackError: Error) => (broken = rollbackError))
		throw e
	} finally {
		client.release(broken)
	}
}
