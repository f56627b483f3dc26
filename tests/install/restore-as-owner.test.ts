// install.sh's database role owns its database but is no superuser (createdb only), so
// `npm run restore` cannot switch foreign keys off with session_replication_role. The real install
// found two faults on that path: the dump's table order was alphabetical (node-pg returned the
// parents as an unparsed name[] string), so audit_events came before users; and payments ↔
// payment_files is a cycle that no order satisfies. Restored here as such an owner role: the rows
// come back identical and every foreign key is in place (and was checked) afterwards.
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, test } from 'vitest'
import { dumpDatabase, tableChecksum, tablesInOrder } from '~/services/backup/snapshot.server'
import { prisma } from '~/utils/db.server'
import { dropDatabase, withDatabase } from '../../scripts/lib/embedded-postgres'
import { restoreBackup } from '../../scripts/lib/restore'
import { createUser } from '../factories'

const source = process.env.DATABASE_URL!
const server = withDatabase(source, 'postgres')
const dir = mkdtempSync(join(tmpdir(), 'guardino-owner-restore-'))
const role = `owner_${randomBytes(4).toString('hex')}`
const made: string[] = []

async function onServer<T>(url: string, fn: (db: pg.Client) => Promise<T>) {
	const db = new pg.Client({ connectionString: url })
	await db.connect()
	try {
		return await fn(db)
	} finally {
		await db.end()
	}
}

const foreignKeys = (url: string) =>
	onServer(url, async (db) => (await db.query<{ name: string; valid: boolean }>(`select conname as name, convalidated as valid from pg_constraint c join pg_namespace n on n.oid = c.connamespace where contype = 'f' and n.nspname = 'public' order by conname`)).rows)

async function digests(url: string) {
	return onServer(url, async (db) => {
		await db.query(`set timezone = 'UTC'`)
		const out: Record<string, string> = {}
		for (const t of await tablesInOrder(db)) if (t !== '_prisma_migrations') out[t] = await tableChecksum(db, t)
		return out
	})
}

afterAll(async () => {
	for (const name of made) await dropDatabase(server, name)
	await onServer(server, (db) => db.query(`drop role if exists ${role}`))
	rmSync(dir, { recursive: true, force: true })
})

describe('restore as the database owner (not a superuser), as install.sh sets it up', () => {
	test('the dump lists parents before children', async () => {
		const order = await onServer(source, tablesInOrder)
		for (const [child, parent] of [['audit_events', 'users'], ['sessions', 'users'], ['ledger_entries', 'ledger_transactions'], ['customers', 'resellers']] as const) {
			expect(order.indexOf(parent), `${parent} before ${child}`).toBeLessThan(order.indexOf(child))
		}
	})

	test('rows with a key cycle and an audit trail restore identical; the foreign keys are back', { timeout: 300_000 }, async () => {
		const user = await createUser('customer')
		await prisma.auditEvent.create({ data: { actorId: user.id, action: 'test.owner_restore', entityType: 'user', entityId: String(user.id) } })
		const file = await prisma.paymentFile.create({ data: { sha256: 'e'.repeat(64), mime: 'image/png', size: 3, bytes: Buffer.from([1, 2, 3]) } })
		const payment = await prisma.payment.create({ data: { userId: user.id, channel: 'card', status: 'submitted', amount: 500_000n, expiresAt: new Date(), receiptFileId: file.id } })
		await prisma.paymentFile.update({ where: { id: file.id }, data: { paymentId: payment.id } }) // the cycle: each row points at the other
		const backup = join(dir, 'owner.ghb')
		await dumpDatabase(source, backup)
		const before = await digests(source)

		await onServer(server, (db) => db.query(`create role ${role} login createdb password 'owner-password'`))
		const asOwner = new URL(source)
		asOwner.username = role
		asOwner.password = 'owner-password'
		asOwner.pathname = `/${role}_current` // only names the server and the new database; not switched
		const r = await restoreBackup({ url: asOwner.toString(), file: backup, switchOver: false })
		made.push(r.restored)
		expect(r.restored).toMatch(new RegExp(`^${role}_current_restore_`))
		const restored = withDatabase(source, r.restored)
		expect(await onServer(server, async (db) => (await db.query(`select rolsuper from pg_roles where rolname = $1`, [role])).rows[0].rolsuper)).toBe(false)
		expect(await onServer(server, async (db) => (await db.query(`select pg_get_userbyid(datdba) as owner from pg_database where datname = $1`, [r.restored])).rows[0].owner)).toBe(role)
		expect(await digests(restored)).toEqual(before)
		const keys = await foreignKeys(restored)
		expect(keys.map((k) => k.name)).toEqual((await foreignKeys(source)).map((k) => k.name))
		expect(keys.every((k) => k.valid)).toBe(true)
		expect(keys.map((k) => k.name)).toEqual(expect.arrayContaining(['payments_receipt_file_id_fkey', 'payment_files_payment_id_fkey', 'audit_events_actor_id_fkey']))
		// the tables' own triggers (the ledger's append-only and balance checks, audit) are on again
		const disabled = await onServer(restored, async (db) => (await db.query(`select tgrelid::regclass::text as t, tgname from pg_trigger where not tgisinternal and tgenabled = 'D'`)).rows)
		expect(disabled).toEqual([])
		expect(await onServer(restored, async (db) => Number((await db.query(`select count(*) from pg_trigger where not tgisinternal`)).rows[0].count))).toBeGreaterThan(0)
	})
})
