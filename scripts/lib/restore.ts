// `npm run restore -- FILE`: a backup goes into a NEW database, is verified (row counts, per-table
// digests, every wallet against its ledger legs, every ledger transaction balanced), brought up
// to this version's schema, and only then replaces the current database (both renamed; the old
// one is kept as <name>_before_restore_<time> until the operator drops it).
// Why a schema built from the backup's own migrations first: the rows must land in the shape they
// were taken in; newer migrations (and their data changes) then run on them as on any upgrade.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { loadSnapshot, readHeader, SnapshotError, verifyRestored } from '~/services/backup/snapshot.server'
import { migrate } from './database'
import { dropDatabase, ensureDatabase, withDatabase } from './embedded-postgres'

const MIGRATIONS = 'prisma/migrations'

// Prisma's own bookkeeping table, as `migrate deploy` creates it.
const PRISMA_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
	"id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
	"migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
	"started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`

export interface RestoreOptions {
	/** The database to replace (its server hosts the new one). */
	url: string
	file: string
	passphrase?: string
	/** false: restore and verify into the new database, leave the current one alone. */
	switchOver?: boolean
	log?: (m: string) => void
}

export async function restoreBackup(o: RestoreOptions) {
	const log = o.log ?? (() => {})
	const header = await readHeader(o.file, o.passphrase)
	const missing = header.migrations.filter((m) => !existsSync(join(MIGRATIONS, m, 'migration.sql')))
	if (missing.length) throw new SnapshotError('unknown_migration', `this version does not know ${missing.join(', ')} (a backup from a newer version?)`)
	const current = decodeURIComponent(new URL(o.url).pathname.slice(1))
	const server = withDatabase(o.url, 'postgres')
	const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14)
	const fresh = `${current}_restore_${stamp}`
	const freshUrl = withDatabase(o.url, fresh)
	await ensureDatabase(server, fresh)
	try {
		log(`schema of the backup (${header.migrations.length} migrations) in ${fresh}`)
		const db = new pg.Client({ connectionString: freshUrl })
		await db.connect()
		try {
			await db.query(PRISMA_MIGRATIONS_TABLE)
			for (const m of header.migrations) await db.query(readFileSync(join(MIGRATIONS, m, 'migration.sql'), 'utf8'))
		} finally {
			await db.end()
		}
		log('loading rows')
		const loaded = await loadSnapshot(freshUrl, o.file, { passphrase: o.passphrase })
		log('verifying')
		const v = await verifyRestored(freshUrl, { tables: header.tables, checksums: loaded.checksums })
		if (!v.ok) throw new SnapshotError('mismatch', v.problems.slice(0, 20).join('; '))
		log('bringing the schema up to this version')
		await migrate(freshUrl)
	} catch (e) {
		await dropDatabase(server, fresh)
		throw e
	}
	let previous: string | null = null
	if (o.switchOver !== false) {
		previous = `${current}_before_restore_${stamp}`
		const admin = new pg.Client({ connectionString: server })
		await admin.connect()
		try {
			const { rows } = await admin.query<{ n: string }>(`select count(*) as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [current])
			if (Number(rows[0]!.n) > 0) throw new Error(`${current} still has ${rows[0]!.n} connection(s): stop the app (and worker) first; the verified copy is kept as ${fresh}`)
			await admin.query(`alter database "${current}" rename to "${previous}"`)
			await admin.query(`alter database "${fresh}" rename to "${current}"`)
		} finally {
			await admin.end()
		}
		log(`switched: ${current} is the restored database, the old one is ${previous}`)
	}
	return { header, restored: o.switchOver === false ? fresh : current, previous }
}
