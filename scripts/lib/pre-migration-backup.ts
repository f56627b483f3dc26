// `npm start` backs the database up before applying migrations it has not seen yet (issue 14):
// an upgrade that goes wrong can be undone with `npm run restore`. A fresh, empty database has
// nothing to lose and is not backed up. The backups row is written after migrating (the table
// itself may arrive with the migration).
import { readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import pg from 'pg'
import { dumpDatabase, type DumpResult } from '~/services/backup/snapshot.server'

export async function pendingMigrations(url: string): Promise<{ applied: number; pending: string[] }> {
	const local = readdirSync('prisma/migrations').filter((d) => /^\d{14}_/.test(d)).sort()
	const db = new pg.Client({ connectionString: url })
	await db.connect()
	try {
		const exists = await db.query(`select to_regclass('public._prisma_migrations') as t`)
		if (!exists.rows[0].t) return { applied: 0, pending: local }
		const { rows } = await db.query<{ migration_name: string }>(`select migration_name from _prisma_migrations where finished_at is not null and rolled_back_at is null`)
		const done = new Set(rows.map((r) => r.migration_name))
		return { applied: done.size, pending: local.filter((m) => !done.has(m)) }
	} finally {
		await db.end()
	}
}

export async function backupBeforeMigrations(url: string): Promise<DumpResult | null> {
	const { applied, pending } = await pendingMigrations(url)
	if (!applied || !pending.length) return null
	const dir = resolve(process.env.BACKUP_DIR || '.data/backups')
	const { mkdirSync } = await import('node:fs')
	mkdirSync(dir, { recursive: true, mode: 0o700 })
	const file = join(dir, `guardino-${new Date().toISOString().replace(/[:.]/g, '-')}-pre-migration.ghb`)
	return dumpDatabase(url, file, { passphrase: process.env.BACKUP_PASSPHRASE || undefined })
}

/** Records the pre-migration backup once the backups table exists. */
export async function recordPreMigrationBackup(url: string, r: DumpResult) {
	const db = new pg.Client({ connectionString: url })
	await db.connect()
	try {
		await db.query(
			`insert into backups (trigger, status, file, bytes, sha256, encrypted, tables, started_at, finished_at) values ('pre_migration', 'succeeded', $1, $2, $3, $4, $5, now() - make_interval(secs => $6::float8 / 1000), now())`,
			[r.file, r.bytes, r.sha256, !!process.env.BACKUP_PASSPHRASE, JSON.stringify(r.tables), r.ms],
		)
	} finally {
		await db.end()
	}
}
