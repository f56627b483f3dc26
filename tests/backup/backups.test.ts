// Backups as the operator runs them: a recorded backup whose checksum matches its file, a failure
// recorded and notified (never thrown away), retention that always keeps the newest, the admin's
// "back up now" queueing exactly one job, and nobody else reaching the page.
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import * as page from '~/routes/admin+/backups'
import { applyRetention, runBackup } from '~/services/backup/backups.server'
import { prisma } from '~/utils/db.server'
import { pendingMigrations } from '../../scripts/lib/pre-migration-backup'
import { loginAs } from '../factories'
import { call, get, post } from '../console/helpers'

let dir: string
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'guardino-backups-'))
	process.env.BACKUP_DIR = dir
})
afterEach(() => {
	delete process.env.BACKUP_DIR
})

describe('backups', () => {
	test('a manual backup is a file whose SHA-256 is recorded, with its row counts', { timeout: 120_000 }, async () => {
		const b = await runBackup('manual')
		expect(b).toMatchObject({ status: 'succeeded', trigger: 'manual', encrypted: false })
		expect(b.file!.startsWith(dir)).toBe(true)
		expect(createHash('sha256').update(readFileSync(b.file!)).digest('hex')).toBe(b.sha256)
		expect(Number(b.bytes)).toBe(readFileSync(b.file!).length)
		expect((b.tables as Record<string, number>).users).toBeGreaterThanOrEqual(0)
		expect(await prisma.notification.count({ where: { kind: 'backup_succeeded' } })).toBe(1)
	})

	test('a failure is recorded and notified, and no partial file is left', { timeout: 120_000 }, async () => {
		const blocker = join(dir, 'not-a-dir')
		writeFileSync(blocker, 'x')
		process.env.BACKUP_DIR = blocker
		const b = await runBackup('scheduled')
		expect(b.status).toBe('failed')
		expect(b.error).toBeTruthy()
		expect(await prisma.notification.count({ where: { kind: 'backup_failed' } })).toBe(1)
	})

	test('retention deletes files past it and always keeps the newest backup', { timeout: 120_000 }, async () => {
		const old1 = await runBackup('scheduled')
		const old2 = await runBackup('scheduled')
		const longAgo = new Date(Date.now() - 40 * 86_400_000)
		await prisma.backup.updateMany({ where: { id: { in: [old1.id, old2.id] } }, data: { startedAt: longAgo } })
		expect(await applyRetention()).toBe(1) // old2 is the newest: kept although old
		expect(existsSync(old1.file!)).toBe(false)
		expect(existsSync(old2.file!)).toBe(true)
		expect((await prisma.backup.findUniqueOrThrow({ where: { id: old1.id } })).deletedAt).not.toBeNull()
		const fresh = await runBackup('manual') // its retention pass now removes old2 as well
		expect(existsSync(old2.file!)).toBe(false)
		expect(existsSync(fresh.file!)).toBe(true)
	})

	test('"back up now" queues one job however often it is pressed; only admins reach the page', async () => {
		const { cookie } = await loginAs('admin')
		expect((await call(page.loader, get('/admin/backups', cookie))).status).toBe(200)
		expect((await call(page.action, post('/admin/backups', {}, cookie))).status).toBe(400) // no intent: refused, nothing queued
		for (let i = 0; i < 3; i++) expect((await call(page.action, post('/admin/backups', { intent: 'backup_now' }, cookie))).status).toBe(302)
		const jobs = await prisma.$queryRaw<Array<{ n: bigint }>>`select count(*) as n from graphile_worker.jobs where task_identifier = 'backup_database'`
		expect(Number(jobs[0]!.n)).toBe(1)
		for (const role of ['reseller', 'customer'] as const) {
			const other = await loginAs(role)
			expect((await call(page.loader, get('/admin/backups', other.cookie))).status).toBe(403)
			expect((await call(page.action, post('/admin/backups', { intent: 'backup_now' }, other.cookie))).status).toBe(403)
		}
	})

	test('the test database has no pending migration (npm start would not back it up again)', async () => {
		const r = await pendingMigrations(process.env.DATABASE_URL!)
		expect(r.pending).toEqual([])
		expect(r.applied).toBeGreaterThan(10)
	})
})
