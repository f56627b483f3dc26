// Backup → wipe → restore (issue 14): the snapshot of a database with money, usage, payments and a
// receipt file comes back identical — every table's rows, every wallet balance, every customer —
// also encrypted; a wrong passphrase, a truncated file or a ledger that does not add up is refused.
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { dumpDatabase, fileSha256, tableChecksum, tablesInOrder, verifyRestored } from '~/services/backup/snapshot.server'
import { moveWalletMoney, post } from '~/services/billing/ledger.server'
import { prisma } from '~/utils/db.server'
import { dropDatabase, ensureDatabase, withDatabase } from '../../scripts/lib/embedded-postgres'
import { restoreBackup } from '../../scripts/lib/restore'
import { createReseller } from '../billing/fixtures'
import { createUser } from '../factories'

const dir = mkdtempSync(join(tmpdir(), 'guardino-backup-'))
const source = process.env.DATABASE_URL!
const server = withDatabase(source, 'postgres')
const scratch: string[] = []

async function digests(url: string) {
	const db = new pg.Client({ connectionString: url })
	await db.connect()
	try {
		await db.query(`set timezone = 'UTC'`)
		const out: Record<string, string> = {}
		for (const t of await tablesInOrder(db)) if (t !== '_prisma_migrations') out[t] = await tableChecksum(db, t)
		return out
	} finally {
		await db.end()
	}
}

/** An empty database standing for the one that was lost. */
async function wiped() {
	const name = `wiped_${randomBytes(5).toString('hex')}`
	await ensureDatabase(server, name)
	scratch.push(name)
	return withDatabase(source, name)
}

beforeAll(async () => {
	const { reseller } = await createReseller({ nodeIds: [], funds: 1_250_000n, poolBytes: 10n * 2n ** 30n })
	await prisma.$transaction((tx) => post(tx, { resellerId: reseller.id, account: 'money', amount: -400_000n, kind: 'charge', refType: 'order', refId: 1, idempotencyKey: randomUUID() }))
	const user = await createUser('customer')
	await prisma.$transaction((tx) => moveWalletMoney(tx, { wallet: { userId: user.id }, amount: 990_000n, counter: 'cash:method:1', kind: 'top_up', refType: 'payment', refId: 1, idempotencyKey: randomUUID() }))
	await prisma.customer.create({ data: { resellerId: reseller.id, username: 'کاربر_یک', note: 'emoji 🚀 and "quotes"', dataLimitBytes: 2n ** 40n + 7n, usedBytes: 12_345n, expireAt: new Date('2027-03-20T20:30:00.123Z'), subToken: randomUUID() } })
	const file = await prisma.paymentFile.create({ data: { sha256: 'f'.repeat(64), mime: 'image/webp', size: 4, bytes: Buffer.from([0, 255, 10, 13]) } })
	await prisma.payment.create({ data: { userId: user.id, channel: 'card', status: 'submitted', amount: 990_000n, expiresAt: new Date(), receiptFileId: file.id, flags: ['late', 'near_duplicate'] } })
})

afterAll(async () => {
	for (const name of scratch) await dropDatabase(server, name)
})

describe('backup and restore', () => {
	// Each restore builds a schema and runs migrate deploy: generous limits for a loaded machine (no timing is asserted).
	test('a plain backup restores every row identical, then replaces the lost database', { timeout: 300_000 }, async () => {
		const file = join(dir, 'plain.ghb')
		const dump = await dumpDatabase(source, file)
		expect(dump.tables.ledger_entries).toBeGreaterThanOrEqual(8)
		expect(await fileSha256(file)).toBe(dump.sha256)
		const before = await digests(source)

		const target = await wiped()
		const result = await restoreBackup({ url: target, file })
		scratch.push(result.previous!)
		expect(await digests(target)).toEqual(before)
		const db = new pg.Client({ connectionString: target })
		await db.connect()
		try {
			const { rows } = await db.query(`select balance::text, pool_bytes::text from resellers`)
			expect(rows).toEqual([{ balance: '850000', pool_bytes: String(10n * 2n ** 30n) }])
			const c = await db.query(`select username, note, data_limit_bytes::text, expire_at from customers`)
			expect(c.rows[0]).toMatchObject({ username: 'کاربر_یک', note: 'emoji 🚀 and "quotes"', data_limit_bytes: String(2n ** 40n + 7n) })
			expect((c.rows[0].expire_at as Date).toISOString()).toBe('2027-03-20T20:30:00.123Z')
			const f = await db.query(`select bytes from payment_files`)
			expect([...(f.rows[0].bytes as Buffer)]).toEqual([0, 255, 10, 13])
			// sequences continue after the restored ids, and the ledger's own checks are back on
			await db.query(`insert into users (username, password_hash, role, updated_at) values ('after_restore', 'x', 'customer', now())`)
			await expect(db.query(`update ledger_entries set amount = 0`)).rejects.toThrow(/append-only/)
		} finally {
			await db.end()
		}
	})

	test('an encrypted backup needs its passphrase; a truncated one is refused; nothing is switched on failure', { timeout: 300_000 }, async () => {
		const file = join(dir, 'secret.ghb')
		await dumpDatabase(source, file, { passphrase: 'correct horse' })
		expect(readFileSync(file).subarray(0, 4).toString()).toBe('GHB1')
		const target = await wiped()
		await expect(restoreBackup({ url: target, file })).rejects.toMatchObject({ code: 'passphrase_required' })
		await expect(restoreBackup({ url: target, file, passphrase: 'wrong' })).rejects.toMatchObject({ code: expect.stringMatching(/bad_passphrase|truncated|not_a_backup/) })
		const truncated = join(dir, 'truncated.ghb')
		const plain = join(dir, 'plain2.ghb')
		await dumpDatabase(source, plain)
		const bytes = readFileSync(plain)
		writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)))
		await expect(restoreBackup({ url: target, file: truncated })).rejects.toMatchObject({ code: 'truncated' })
		// the wiped database is untouched by the failed attempts, and no half-restored copy is left
		const db = new pg.Client({ connectionString: server })
		await db.connect()
		const left = await db.query(`select datname from pg_database where datname like $1`, [`${new URL(target).pathname.slice(1)}_%`])
		await db.end()
		expect(left.rows).toEqual([])
		const ok = await restoreBackup({ url: target, file, passphrase: 'correct horse' })
		scratch.push(ok.previous!)
		expect(await digests(target)).toEqual(await digests(source))
	})

	test('verification fails when a wallet does not equal its ledger legs', { timeout: 300_000 }, async () => {
		const file = join(dir, 'verify.ghb')
		await dumpDatabase(source, file)
		const target = await wiped()
		const { restored } = await restoreBackup({ url: target, file, switchOver: false })
		scratch.push(restored)
		const url = withDatabase(source, restored)
		const db = new pg.Client({ connectionString: url })
		await db.connect()
		await db.query(`update resellers set balance = balance + 1`)
		await db.end()
		const v = await verifyRestored(url, { tables: {}, checksums: {} })
		expect(v.ok).toBe(false)
		expect(v.problems.join()).toMatch(/reseller \d+ balance 850001/)
	})
})
