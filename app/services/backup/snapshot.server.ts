// A logical, version-independent snapshot of our database (issue 14, docs/decisions/017): every
// table of the public schema (receipt files included: they live in payment_files) as JSON rows,
// gzip'd, optionally encrypted with a passphrase. No pg_dump: the embedded PostgreSQL ships none,
// and Debian's pg_dump 15 refuses a 17 server. Plain `pg`, no app imports, so the CLI, `npm start`
// and the worker share it.
//
// File: gzip(NDJSON) — a header line {format, version, createdAt, migrations, tables: {name: rows}},
// then {t, rows: [...]} batches in table order, then {end, checksums}. Encrypted files are
// "GHB1" + salt(16) + iv(12) + AES-256-GCM(gzip) + tag(16), the key from scrypt(passphrase, salt).
// Rows are read in ctid order in pages (a cursor-free keyset that works on any table) and written
// back with json_populate_recordset, which parses every type from its own text form (bigint,
// bytea, arrays, enums, timestamps), so nothing passes through a JavaScript number.
import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { PassThrough, Readable, Transform, type Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip, createGzip } from 'node:zlib'
import pg from 'pg'

export const FORMAT = 'guardino-backup'
export const VERSION = 1
const MAGIC = Buffer.from('GHB1')
const PAGE = 2_000
/** Jobs are transient and graphile-worker recreates its schema; everything else is ours. */
const SKIP = new Set<string>()

export interface SnapshotHeader {
	format: typeof FORMAT
	version: number
	createdAt: string
	migrations: string[]
	tables: Record<string, number>
	encrypted?: boolean
}

export interface DumpResult {
	file: string
	bytes: number
	sha256: string
	tables: Record<string, number>
	ms: number
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`

/** Tables of the public schema, parents before children (foreign keys), then by name. */
export async function tablesInOrder(db: pg.ClientBase): Promise<string[]> {
	const { rows } = await db.query<{ name: string; parents: string[] | null }>(`
		select c.relname as name,
			-- ::text: node-pg leaves a name[] unparsed (a string of characters), text[] becomes an array
			array(select distinct p.relname::text from pg_constraint f join pg_class p on p.oid = f.confrelid
				where f.conrelid = c.oid and f.contype = 'f' and f.confrelid <> c.oid) as parents
		from pg_class c join pg_namespace n on n.oid = c.relnamespace
		where n.nspname = 'public' and c.relkind = 'r' order by c.relname`)
	const left = new Map(rows.filter((r) => !SKIP.has(r.name)).map((r) => [r.name, new Set(r.parents ?? [])]))
	const out: string[] = []
	while (left.size) {
		const ready = [...left].filter(([, parents]) => [...parents].every((p) => !left.has(p))).map(([n]) => n)
		const next = ready.length ? ready : [[...left.keys()][0]!] // a cycle: break it anywhere (loads run with triggers off)
		for (const n of next) {
			out.push(n)
			left.delete(n)
		}
	}
	return out
}

/** Columns we write back (generated columns are recomputed by the database). */
async function writableColumns(db: pg.ClientBase, table: string) {
	const { rows } = await db.query<{ name: string }>(
		`select a.attname as name from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
		 where n.nspname = 'public' and c.relname = $1 and a.attnum > 0 and not a.attisdropped and a.attgenerated = '' order by a.attnum`,
		[table],
	)
	return rows.map((r) => r.name)
}

/** An order-independent digest of a table's rows (as JSON text in UTC): equal tables, equal digests. */
export async function tableChecksum(db: pg.ClientBase, table: string) {
	const { rows } = await db.query<{ md5: string }>(`select md5(coalesce(string_agg(j, E'\\n' order by j), '')) as md5 from (select row_to_json(t)::text as j from ${q(table)} t) s`)
	return rows[0]!.md5
}

function keyFrom(passphrase: string, salt: Buffer) {
	return scryptSync(passphrase, salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 })
}

/** Writes a snapshot of `url` to `file`. The database stays usable throughout (one REPEATABLE READ snapshot). */
export async function dumpDatabase(url: string, file: string, opts: { passphrase?: string } = {}): Promise<DumpResult> {
	const started = performance.now()
	const db = new pg.Client({ connectionString: url })
	await db.connect()
	try {
		await db.query(`set timezone = 'UTC'`)
		await db.query('begin isolation level repeatable read read only')
		const tables = await tablesInOrder(db)
		const counts: Record<string, number> = {}
		for (const t of tables) counts[t] = Number((await db.query<{ n: string }>(`select count(*) as n from ${q(t)}`)).rows[0]!.n)
		const migrations = tables.includes('_prisma_migrations')
			? (await db.query<{ migration_name: string }>(`select migration_name from _prisma_migrations where finished_at is not null and rolled_back_at is null order by migration_name`)).rows.map((r) => r.migration_name)
			: []
		const header: SnapshotHeader = { format: FORMAT, version: VERSION, createdAt: new Date().toISOString(), migrations, tables: counts, encrypted: !!opts.passphrase }
		const lines = new PassThrough()
		const gzip = createGzip({ level: 6 })
		const hash = createHash('sha256')
		let bytes = 0
		const out = createWriteStream(file, { mode: 0o600 })
		let prefix: Buffer | null = null
		const sink = new Transform({
			transform(chunk: Buffer, _e, done) {
				if (prefix) {
					chunk = Buffer.concat([prefix, chunk])
					prefix = null
				}
				hash.update(chunk)
				bytes += chunk.length
				done(null, chunk)
			},
		})
		const stages: Array<NodeJS.ReadWriteStream | Writable> = [gzip]
		let tagOf: (() => Buffer) | null = null
		if (opts.passphrase) {
			const salt = randomBytes(16)
			const iv = randomBytes(12)
			const cipher = createCipheriv('aes-256-gcm', keyFrom(opts.passphrase, salt), iv)
			prefix = Buffer.concat([MAGIC, salt, iv])
			stages.push(cipher)
			tagOf = () => cipher.getAuthTag()
		}
		const done = pipeline(lines, ...(stages as [NodeJS.ReadWriteStream]), sink, out)
		const write = (o: unknown) => (lines.write(`${JSON.stringify(o)}\n`) ? Promise.resolve() : new Promise<void>((r) => lines.once('drain', () => r())))
		await write(header)
		const checksums: Record<string, string> = {}
		for (const t of tables) {
			let after = '(0,0)'
			for (;;) {
				const { rows } = await db.query<{ c: string; j: string }>(`select ctid::text as c, row_to_json(x)::text as j from ${q(t)} x where ctid > $1::tid order by ctid limit ${PAGE}`, [after])
				if (!rows.length) break
				await write({ t, rows: rows.map((r) => JSON.parse(r.j)) })
				after = rows.at(-1)!.c
			}
			checksums[t] = await tableChecksum(db, t)
		}
		await write({ end: true, checksums })
		lines.end()
		await done
		await db.query('commit')
		if (tagOf) {
			const tag = tagOf()
			const fh = await open(file, 'a')
			await fh.write(tag)
			await fh.close()
			hash.update(tag)
			bytes += tag.length
		}
		return { file, bytes, sha256: hash.digest('hex'), tables: counts, ms: performance.now() - started }
	} finally {
		await db.end()
	}
}

/** SHA-256 of a file, to compare with what the backup recorded. */
export async function fileSha256(file: string) {
	const h = createHash('sha256')
	await pipeline(createReadStream(file), h)
	return h.digest('hex')
}

/** The snapshot's JSON lines, decrypted and unzipped. */
async function openLines(file: string, passphrase?: string) {
	const fh = await open(file, 'r')
	const magic = Buffer.alloc(4)
	await fh.read(magic, 0, 4, 0)
	let source: Readable
	if (magic.equals(MAGIC)) {
		if (!passphrase) {
			await fh.close()
			throw new SnapshotError('passphrase_required')
		}
		const size = (await stat(file)).size
		const head = Buffer.alloc(32)
		await fh.read(head, 0, 32, 0)
		const tag = Buffer.alloc(16)
		await fh.read(tag, 0, 16, size - 16)
		await fh.close()
		const decipher = createDecipheriv('aes-256-gcm', keyFrom(passphrase, head.subarray(4, 20)), head.subarray(20, 32))
		decipher.setAuthTag(tag)
		source = createReadStream(file, { start: 32, end: size - 17 }).pipe(decipher)
		decipher.on('error', () => source.destroy(new SnapshotError('bad_passphrase')))
	} else {
		await fh.close()
		source = createReadStream(file)
	}
	const gunzip = createGunzip()
	source.on('error', (e) => gunzip.destroy(e))
	const rl = createInterface({ input: source.pipe(gunzip), crlfDelay: Infinity })
	// The iterator must exist before the caller awaits anything else: readline drops lines (and its
	// close) emitted while nobody iterates, which would leave the caller waiting forever.
	const it = rl[Symbol.asyncIterator]()
	gunzip.on('error', () => {}) // surfaced through the iterator
	return { lines: { [Symbol.asyncIterator]: () => it }, close: () => (rl.close(), gunzip.destroy(), source.destroy()) }
}

export class SnapshotError extends Error {
	constructor(readonly code: 'passphrase_required' | 'bad_passphrase' | 'not_a_backup' | 'unknown_migration' | 'truncated' | 'mismatch', detail = '') {
		super(`${code}${detail ? `: ${detail}` : ''}`)
	}
}

export interface LoadResult {
	header: SnapshotHeader
	tables: Record<string, number>
	ms: number
}

/**
 * Loads a snapshot into `url`, an EMPTY database whose schema is exactly the snapshot's migrations
 * (the caller applies them first). Foreign keys and triggers (the ledger's append-only and balance
 * checks) are off while loading — the rows were valid when taken — and every check is then run
 * explicitly by verifyRestored.
 */
export async function loadSnapshot(url: string, file: string, opts: { passphrase?: string; onHeader?: (h: SnapshotHeader) => Promise<void> } = {}): Promise<LoadResult & { checksums: Record<string, string> }> {
	const started = performance.now()
	const { lines, close } = await openLines(file, opts.passphrase)
	const db = new pg.Client({ connectionString: url })
	await db.connect()
	let header: SnapshotHeader | null = null
	let checksums: Record<string, string> | null = null
	const loaded: Record<string, number> = {}
	const columns = new Map<string, string[]>()
	let checksBack: () => Promise<void> = async () => {}
	try {
		await db.query(`set timezone = 'UTC'`)
		for await (const line of lines) {
			if (!line) continue
			const o = JSON.parse(line) as Record<string, unknown>
			if (!header) {
				if (o.format !== FORMAT || typeof o.version !== 'number' || o.version > VERSION) throw new SnapshotError('not_a_backup')
				header = o as unknown as SnapshotHeader
				await opts.onHeader?.(header)
				await db.query('begin')
				checksBack = await disableChecks(db, Object.keys(header.tables))
				continue
			}
			if (o.end) {
				checksums = o.checksums as Record<string, string>
				break
			}
			const t = String(o.t)
			if (!(t in header.tables)) throw new SnapshotError('not_a_backup', `unknown table ${t}`)
			let cols = columns.get(t)
			if (!cols) columns.set(t, (cols = await writableColumns(db, t)))
			const list = cols.map(q).join(', ')
			const rows = o.rows as unknown[]
			await db.query(`insert into ${q(t)} (${list}) select ${list} from json_populate_recordset(null::${q(t)}, $1::json)`, [JSON.stringify(rows)])
			loaded[t] = (loaded[t] ?? 0) + rows.length
		}
		if (!header || !checksums) throw new SnapshotError('truncated')
		// sequences continue after the restored ids
		const { rows: seqs } = await db.query<{ seq: string; tbl: string; col: string }>(`
			select s.relname as seq, t.relname as tbl, a.attname as col
			from pg_class s join pg_depend d on d.objid = s.oid and d.deptype in ('a', 'i')
			join pg_class t on t.oid = d.refobjid join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
			join pg_namespace n on n.oid = s.relnamespace
			where s.relkind = 'S' and n.nspname = 'public'`)
		for (const s of seqs) await db.query(`select setval('public.${q(s.seq)}', coalesce((select max(${q(s.col)}) from ${q(s.tbl)}), 0) + 1, false)`)
		await checksBack()
		await db.query('commit')
		return { header, tables: loaded, checksums, ms: performance.now() - started }
	} catch (e) {
		await db.query('rollback').catch(() => {})
		if (e instanceof SnapshotError) throw e
		if ((e as NodeJS.ErrnoException).code === 'Z_DATA_ERROR' || (e as Error).message?.includes('unexpected end')) throw new SnapshotError('truncated')
		throw e
	} finally {
		close()
		await db.end()
	}
}

/**
 * Foreign keys and triggers off for this transaction: as superuser by session_replication_role.
 * Otherwise (install.sh's owner role, a managed database's) the tables' own triggers are disabled
 * and the foreign keys dropped: an owner may not disable their system triggers, and no table order
 * satisfies a cycle of keys (payments.receipt_file_id ↔ payment_files.payment_id). Returns what
 * puts them back before commit; adding a key back checks every restored row against it.
 */
async function disableChecks(db: pg.ClientBase, tables: string[]): Promise<() => Promise<void>> {
	await db.query('savepoint checks')
	try {
		await db.query(`set local session_replication_role = replica`)
		return async () => {}
	} catch {
		await db.query('rollback to savepoint checks')
		const { rows: keys } = await db.query<{ tbl: string; name: string; def: string }>(`
			select c.conrelid::regclass::text as tbl, c.conname as name, pg_get_constraintdef(c.oid) as def
			from pg_constraint c join pg_namespace n on n.oid = c.connamespace
			where c.contype = 'f' and n.nspname = 'public' order by c.conrelid, c.conname`)
		for (const k of keys) await db.query(`alter table ${k.tbl} drop constraint ${q(k.name)}`)
		for (const t of tables) await db.query(`alter table ${q(t)} disable trigger user`)
		return async () => {
			for (const k of keys) await db.query(`alter table ${k.tbl} add constraint ${q(k.name)} ${k.def}`)
			for (const t of tables) await db.query(`alter table ${q(t)} enable trigger user`)
		}
	}
}

export interface Verification {
	ok: boolean
	problems: string[]
}

/** Counts and digests equal the snapshot's; every wallet equals its ledger legs; every ledger transaction balances. */
export async function verifyRestored(url: string, expected: { tables: Record<string, number>; checksums: Record<string, string> }): Promise<Verification> {
	const db = new pg.Client({ connectionString: url })
	await db.connect()
	const problems: string[] = []
	try {
		await db.query(`set timezone = 'UTC'`)
		for (const [t, n] of Object.entries(expected.tables)) {
			const got = Number((await db.query<{ n: string }>(`select count(*) as n from ${q(t)}`)).rows[0]!.n)
			if (got !== n) problems.push(`${t}: ${got} rows, the backup has ${n}`)
			else if (t !== '_prisma_migrations' && (await tableChecksum(db, t)) !== expected.checksums[t]) problems.push(`${t}: rows differ from the backup`)
		}
		const ledger = await db.query<{ problem: string }>(`
			select 'reseller ' || r.id || ' balance ' || r.balance || ' ≠ ledger ' || coalesce(s.money, 0) as problem
			from resellers r left join (select reseller_id, sum(amount) filter (where account = 'money') as money, sum(amount) filter (where account = 'traffic') as pool from ledger_entries where reseller_id is not null group by reseller_id) s on s.reseller_id = r.id
			where r.balance <> coalesce(s.money, 0) or r.pool_bytes <> coalesce(s.pool, 0)
			union all
			select 'user ' || u.id || ' wallet ' || u.wallet_balance || ' ≠ ledger ' || coalesce(s.total, 0)
			from users u left join (select user_id, sum(amount) as total from ledger_entries where user_id is not null group by user_id) s on s.user_id = u.id
			where u.wallet_balance <> coalesce(s.total, 0)
			union all
			select 'ledger transaction ' || transaction_id || ' does not balance' from ledger_entries group by transaction_id, currency having sum(amount) <> 0`)
		problems.push(...ledger.rows.map((r) => r.problem))
		return { ok: problems.length === 0, problems }
	} finally {
		await db.end()
	}
}

/** The snapshot's header line (checks the passphrase and the format on the way). */
export async function readHeader(file: string, passphrase?: string): Promise<SnapshotHeader> {
	const { lines, close } = await openLines(file, passphrase)
	try {
		for await (const line of lines) {
			const o = JSON.parse(line) as SnapshotHeader
			if (o.format !== FORMAT || typeof o.version !== 'number' || o.version > VERSION) throw new SnapshotError('not_a_backup')
			return o
		}
	} catch (e) {
		if (e instanceof SnapshotError) throw e
		throw new SnapshotError(e instanceof SyntaxError ? 'not_a_backup' : 'truncated')
	} finally {
		close()
	}
	throw new SnapshotError('truncated')
}
