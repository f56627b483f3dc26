// Where receipt files live, behind one interface with two stores: "db" (bytes in payment_files,
// the default) and "s3" (an S3-compatible bucket, chosen in /admin/gateways; the row keeps the
// object key, mime, size and hash, no bytes). Writing is two steps so that no remote call runs
// inside a DB transaction (MISSION non-negotiable 3):
//   place(file)            outside any transaction: the s3 store uploads the object here;
//   record(tx, id, placed) inside the caller's transaction: the payment_files row.
// Keys are content-addressed (receipts/<sha256 of the stored bytes>): a retry writes the same
// object again, and a transaction that rolls back leaves at most an orphan object — never a row
// whose object is missing. Objects are never deleted on a failure: another row (a resubmission
// of the same receipt) may point at the same key. Reads dispatch on each row's `storage`, so
// switching stores affects new files only.
import type { Tx } from '~/utils/db.server'
import { prisma } from '~/utils/db.server'
import { PaymentError } from './errors'
import type { ReceiptFile } from './receipt-files.server'
import { getReceiptStorageSettings, s3ConfigOf } from './receipt-storage-settings.server'
import { createS3Client, S3Error, type S3Config } from './s3/client.server'
import { sha256Hex } from './s3/sigv4'

export interface StoredFile {
	id: bigint
	paymentId: bigint | null
	mime: string
	size: number
	bytes: Uint8Array
}

/** A file written to its store, not yet recorded: what record() turns into a row. */
export interface PlacedFile {
	storage: 'db' | 's3'
	storageKey: string | null
	/** The db store's bytes (written with the row); null for s3. */
	bytes: Uint8Array | null
	sha256: string
	mime: string
	size: number
}

export interface ReceiptStore {
	place(file: ReceiptFile): Promise<PlacedFile>
	/** The bytes of a row this store placed; null when they are gone. */
	read(row: { storageKey: string | null; bytes: Uint8Array | null }): Promise<Uint8Array | null>
}

/** The file exists in payment_files but its bytes cannot be had: gone from the bucket, or the bucket is not answering. */
export class ReceiptFileUnavailable extends Error {
	constructor(readonly reason: 'missing' | 'unreachable') {
		super(`receipt file ${reason}`)
		this.name = 'ReceiptFileUnavailable'
	}
}

export const dbStore: ReceiptStore = {
	async place(f) {
		return { storage: 'db', storageKey: null, bytes: f.bytes, sha256: f.sha256, mime: f.mime, size: f.bytes.byteLength }
	},
	async read(row) {
		return row.bytes
	},
}

export const objectKeyFor = (bytes: Uint8Array) => `receipts/${sha256Hex(bytes)}`

export function s3Store(config: S3Config): ReceiptStore {
	const client = createS3Client(config)
	return {
		async place(f) {
			const key = objectKeyFor(f.bytes)
			await client.putObject(key, f.bytes, f.mime)
			return { storage: 's3', storageKey: key, bytes: null, sha256: f.sha256, mime: f.mime, size: f.bytes.byteLength }
		},
		async read(row) {
			if (!row.storageKey) return null
			const bytes = (await client.getObject(row.storageKey))?.bytes ?? null
			// The key is the bytes' hash: an object changed in the bucket is not shown as the receipt.
			if (bytes && objectKeyFor(bytes) !== row.storageKey) {
				console.error(`receipt object ${row.storageKey} does not match its hash`)
				return null
			}
			return bytes
		},
	}
}

/**
 * Outside any transaction: puts the file in the store the settings choose now. A bucket that
 * refuses or does not answer is the payer's "try again later" (503); nothing is written.
 */
async function place(file: ReceiptFile): Promise<PlacedFile> {
	const settings = await getReceiptStorageSettings()
	if (settings.store !== 's3') return dbStore.place(file)
	const config = s3ConfigOf(settings)
	if (!config) throw new PaymentError('storage_unavailable')
	try {
		return await s3Store(config).place(file)
	} catch (e) {
		if (!(e instanceof S3Error)) throw e
		console.error(`receipt upload to S3 failed (${e.kind}): ${e.message}`)
		throw new PaymentError('storage_unavailable')
	}
}

/** Inside the caller's transaction: the row for a placed file. */
async function record(tx: Tx, paymentId: bigint, f: PlacedFile): Promise<bigint> {
	const row = await tx.paymentFile.create({
		data: { paymentId, sha256: f.sha256, mime: f.mime, size: f.size, storage: f.storage, storageKey: f.storageKey, bytes: f.bytes ? Buffer.from(f.bytes) : null },
		select: { id: true },
	})
	return row.id
}

/** null: no such row. Throws ReceiptFileUnavailable when the row exists but its bytes cannot be read. */
async function getFile(id: bigint): Promise<StoredFile | null> {
	const row = await prisma.paymentFile.findUnique({ where: { id } })
	if (!row) return null
	let bytes: Uint8Array | null
	if (row.storage === 's3') {
		// The connection is read from the settings even when new files now go to the db.
		const config = s3ConfigOf(await getReceiptStorageSettings())
		if (!config) throw new ReceiptFileUnavailable('unreachable')
		try {
			bytes = await s3Store(config).read({ storageKey: row.storageKey, bytes: null })
		} catch (e) {
			if (!(e instanceof S3Error)) throw e
			console.error(`receipt ${id} read from S3 failed (${e.kind}): ${e.message}`)
			throw new ReceiptFileUnavailable('unreachable')
		}
	} else {
		bytes = await dbStore.read({ storageKey: null, bytes: row.bytes ? new Uint8Array(row.bytes) : null })
	}
	if (!bytes) throw new ReceiptFileUnavailable('missing')
	return { id: row.id, paymentId: row.paymentId, mime: row.mime, size: row.size, bytes }
}

export const receiptStorage = { place, record, getFile }
