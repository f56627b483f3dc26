// Where receipt files live, behind one small interface. Only the Postgres store ("db": bytes in
// payment_files) exists today; an S3-compatible store would implement the same two calls, keep the
// object key in payment_files.storage_key and be chosen by a setting — not built yet.
import type { Tx } from '~/utils/db.server'
import { prisma } from '~/utils/db.server'

export interface StoredFile {
	id: bigint
	paymentId: bigint | null
	mime: string
	size: number
	bytes: Uint8Array
}

export interface ReceiptStorage {
	/** Stores the file inside the caller's transaction (the db store) and returns its row id. */
	putFile(tx: Tx, file: { paymentId: bigint; sha256: string; mime: string; bytes: Uint8Array }): Promise<bigint>
	getFile(id: bigint): Promise<StoredFile | null>
}

export const dbStorage: ReceiptStorage = {
	async putFile(tx, f) {
		const row = await tx.paymentFile.create({ data: { paymentId: f.paymentId, sha256: f.sha256, mime: f.mime, size: f.bytes.byteLength, storage: 'db', bytes: Buffer.from(f.bytes) }, select: { id: true } })
		return row.id
	},
	async getFile(id) {
		const row = await prisma.paymentFile.findUnique({ where: { id } })
		if (!row || row.storage !== 'db' || !row.bytes) return null
		return { id: row.id, paymentId: row.paymentId, mime: row.mime, size: row.size, bytes: new Uint8Array(row.bytes) }
	},
}

export const receiptStorage: ReceiptStorage = dbStorage
