// Backups as the operator sees them (issue 14): a row per attempt with its result, files under
// BACKUP_DIR named by time, retention by age (default 30 days). Scheduled by the worker's crontab
// (daily 03:00 Asia/Tehran), on demand from /admin/backups, and before migrations in `npm start`.
import { mkdirSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { prisma } from '~/utils/db.server'
import { env } from '~/utils/env.server'
import { notify } from '../notifications.server'
import { dumpDatabase } from './snapshot.server'

export type BackupTrigger = 'scheduled' | 'manual' | 'pre_migration'

export function backupDir() {
	return resolve(process.env.BACKUP_DIR || '.data/backups')
}

export function retentionDays() {
	const n = Number(process.env.BACKUP_RETENTION_DAYS || 30)
	return Number.isInteger(n) && n >= 1 ? n : 30
}

/** Takes a backup now and records it; a failure is recorded (and notified), never thrown away. */
export async function runBackup(trigger: BackupTrigger) {
	const row = await prisma.backup.create({ data: { trigger } })
	const dir = backupDir()
	const file = join(dir, `guardino-${new Date().toISOString().replace(/[:.]/g, '-')}-${row.id}.ghb`)
	const passphrase = process.env.BACKUP_PASSPHRASE || undefined
	try {
		mkdirSync(dir, { recursive: true, mode: 0o700 })
		const r = await dumpDatabase(env().DATABASE_URL, file, { passphrase })
		const done = await prisma.backup.update({ where: { id: row.id }, data: { status: 'succeeded', file, bytes: BigInt(r.bytes), sha256: r.sha256, encrypted: !!passphrase, tables: r.tables, finishedAt: new Date() } })
		await notify({ audience: 'admin', kind: 'backup_succeeded', data: { id: done.id, bytes: String(r.bytes) }, dedupeKey: `backup_succeeded:${done.id}` })
		await applyRetention()
		return done
	} catch (e) {
		await rm(file, { force: true }).catch(() => {}) // nothing to remove when the directory itself failed
		const failed = await prisma.backup.update({ where: { id: row.id }, data: { status: 'failed', error: (e as Error).message.slice(0, 2000), finishedAt: new Date() } })
		await notify({ audience: 'admin', kind: 'backup_failed', data: { id: failed.id, error: failed.error ?? '' }, dedupeKey: `backup_failed:${failed.id}` })
		return failed
	}
}

/** Deletes backup files older than the retention; the newest successful backup is always kept. */
export async function applyRetention(now = new Date()) {
	const cutoff = new Date(now.getTime() - retentionDays() * 86_400_000)
	const newest = await prisma.backup.findFirst({ where: { status: 'succeeded', deletedAt: null }, orderBy: { id: 'desc' }, select: { id: true } })
	const old = await prisma.backup.findMany({ where: { status: 'succeeded', deletedAt: null, startedAt: { lt: cutoff }, ...(newest ? { id: { not: newest.id } } : {}) } })
	for (const b of old) {
		if (b.file) await rm(b.file, { force: true })
		await prisma.backup.update({ where: { id: b.id }, data: { deletedAt: now } })
	}
	return old.length
}

export function listBackups(limit = 100) {
	return prisma.backup.findMany({ orderBy: { id: 'desc' }, take: limit })
}
