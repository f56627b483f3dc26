// Receipt files in an S3-compatible bucket (issue 11), through the real payer route and the real
// viewer route, against the S3 simulator over a socket (it verifies every SigV4 signature):
// the object lands in the bucket and the row keeps only its key; a wrong secret or a bucket that is
// down is the payer's translated 503 with nothing written; the upload runs outside any DB
// transaction; old db files stay readable after a switch (both ways); an object gone from the
// bucket is a translated "file unavailable", never a 500.
import { createHash } from 'node:crypto'
import sharp from 'sharp'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { loader as viewer } from '~/routes/resources+/receipts.$id'
import { saveReceiptStorageSettings, type SaveReceiptStorageInput } from '~/services/payments/receipt-storage-settings.server'
import { prisma } from '~/utils/db.server'
import { getT } from '~/utils/i18n.server'
import { SIM_S3, startS3Sim, type S3Sim } from '../../sim/s3'
import { loginAs } from '../factories'
import { BASE } from '../helpers'
import { call } from '../reseller/fixtures'
import { irrReseller, makeCard, receiptFields, receiptPng, startTopUp, submitThroughRoute } from './receipts-fixtures'

let sim: S3Sim
let payer: Awaited<ReturnType<typeof irrReseller>>
let admin: Awaited<ReturnType<typeof loginAs>>
let code = 7000

const connection = (): SaveReceiptStorageInput => ({ store: 's3', endpoint: sim.url, bucket: SIM_S3.bucket, region: SIM_S3.region, accessKeyId: SIM_S3.accessKeyId, secretAccessKey: SIM_S3.secretAccessKey, pathStyle: true })
const useStore = (over: Partial<SaveReceiptStorageInput> = {}) => saveReceiptStorageSettings({ ...connection(), ...over }, null)

beforeAll(async () => {
	sim = await startS3Sim()
	await makeCard()
	payer = await irrReseller()
	admin = await loginAs('admin')
})
afterAll(async () => {
	await sim.close()
})
beforeEach(() => {
	sim.setDown(false)
	sim.control.clearFaults()
})

/** A new top-up with one receipt sent through the payer's route (a payer of its own: refused ones stay open, and a payer may have only 3 open). */
async function submitOne(file?: Uint8Array) {
	const who = await irrReseller()
	const id = await startTopUp(who.cookie, 1_000_000n)
	const r = await submitThroughRoute(who.cookie, id, receiptFields(1_000_000n, `S3-${++code}`), file ?? (await receiptPng()))
	return { id, r, who }
}

const view = (fileId: bigint, cookie = admin.cookie, accept = '*/*') => call(viewer, new Request(`${BASE}/resources/receipts/${fileId}`, { headers: { Cookie: cookie, Accept: accept } }), { id: String(fileId) })
const fileOf = async (paymentId: bigint) => (await prisma.payment.findUniqueOrThrow({ where: { id: paymentId }, include: { receiptFile: true } })).receiptFile!

async function nothingWritten(paymentId: bigint, objectsBefore: number) {
	expect(await prisma.paymentFile.count({ where: { paymentId } })).toBe(0)
	const p = await prisma.payment.findUniqueOrThrow({ where: { id: paymentId } })
	expect(p).toMatchObject({ status: 'awaiting_transfer', receiptFileId: null, receiptSha256: null })
	expect(await prisma.paymentEvent.count({ where: { paymentId, toStatus: 'submitted' } })).toBe(0)
	expect(sim.state.objects.size).toBe(objectsBefore)
}

describe('store = s3', () => {
	test('the receipt goes to the bucket under its hash; the row keeps key, mime, size, no bytes; the viewer serves the same bytes', async () => {
		await useStore()
		const original = await receiptPng(120, 80)
		const { id, r, who } = await submitOne(original)
		expect(r.status).toBe(302)
		const row = await fileOf(id)
		expect(row).toMatchObject({ storage: 's3', bytes: null, mime: 'image/webp', sha256: createHash('sha256').update(original).digest('hex') })
		const object = sim.state.objects.get(`${SIM_S3.bucket}/${row.storageKey}`)!
		expect(object.contentType).toBe('image/webp')
		expect(row.storageKey).toBe(`receipts/${createHash('sha256').update(object.bytes).digest('hex')}`)
		expect(row.size).toBe(object.bytes.length)
		expect((await sharp(object.bytes).metadata()).format).toBe('webp') // re-encoded before upload, not the PNG
		// The payload was signed (its SHA-256), not sent as UNSIGNED-PAYLOAD.
		expect(sim.state.payloadHashes).toContain(createHash('sha256').update(object.bytes).digest('hex'))

		for (const cookie of [admin.cookie, who.cookie]) {
			const v = await view(row.id, cookie)
			expect(v.status).toBe(200)
			expect(v.response!.headers.get('content-type')).toBe('image/webp')
			expect(Buffer.from(await v.response!.arrayBuffer()).equals(object.bytes)).toBe(true)
		}
		// Another payer gets the same 404 as for no file at all.
		expect((await view(row.id, payer.cookie)).status).toBe(404)
	})

	test('the upload runs before the transaction: while S3 holds the PUT, no DB transaction is open', async () => {
		await useStore()
		const id = await startTopUp(payer.cookie, 1_000_000n)
		const held = sim.control.hold({ method: 'PUT' })
		const pending = submitThroughRoute(payer.cookie, id, receiptFields(1_000_000n, `S3-${++code}`), await receiptPng())
		await held.arrived
		const open = await prisma.$queryRaw<Array<{ n: bigint }>>`select count(*) as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`
		expect(open[0]!.n).toBe(0n)
		expect(await prisma.paymentFile.count({ where: { paymentId: id } })).toBe(0)
		held.release()
		expect((await pending).status).toBe(302)
		expect((await fileOf(id)).storage).toBe('s3')
	})

	test('a wrong secret key: the payer gets the translated 503, nothing is written', async () => {
		await useStore({ secretAccessKey: 'not-the-secret' })
		const before = sim.state.objects.size
		const { id, r } = await submitOne()
		expect(r.status).toBe(503)
		expect(r.data.failure.code).toBe('storage_unavailable')
		expect(sim.state.refusals.at(-1)).toMatchObject({ method: 'PUT', code: 'SignatureDoesNotMatch' })
		await nothingWritten(id, before)
		const t = await getT('fa')
		expect(t('receipts.errors.storage_unavailable')).toMatch(/ذخیره/)
	})

	test.each([
		['down (connection dropped)', () => sim.setDown(true)],
		['answering 500', () => sim.control.failNext(1, 'http500', { method: 'PUT' })],
		['gone (connection refused)', null],
	])('the bucket %s: 503, nothing written', async (_name, breakIt) => {
		if (breakIt) {
			await useStore()
			breakIt()
		} else {
			await useStore({ endpoint: 'http://127.0.0.1:1' })
		}
		const before = sim.state.objects.size
		const { id, r } = await submitOne()
		expect(r.status).toBe(503)
		expect(r.data.failure.code).toBe('storage_unavailable')
		await nothingWritten(id, before)
	})
})

describe('switching stores', () => {
	test('new files follow the setting; old files stay readable from where they are, both ways', async () => {
		await useStore({ store: 'db' })
		const inDb = await submitOne()
		await useStore({ store: 's3' })
		const inS3 = await submitOne()
		await useStore({ store: 'db' })
		const inDbAgain = await submitOne()
		const rows = await Promise.all([inDb, inS3, inDbAgain].map((x) => fileOf(x.id)))
		expect(rows.map((f) => f.storage)).toEqual(['db', 's3', 'db'])
		expect(rows[0]!.bytes).not.toBeNull()
		for (const f of rows) {
			const v = await view(f.id)
			expect(v.status).toBe(200)
			expect(v.response!.headers.get('content-type')).toBe('image/webp')
			expect((await sharp(Buffer.from(await v.response!.arrayBuffer())).metadata()).format).toBe('webp')
		}
	})
})

describe('the viewer when the bytes cannot be had', () => {
	test('an object gone from the bucket: a translated "file unavailable" 404 (an image for an <img>); the bucket down: 503', async () => {
		await useStore()
		const { id } = await submitOne()
		const row = await fileOf(id)
		sim.state.objects.delete(`${SIM_S3.bucket}/${row.storageKey}`)
		const text = await view(row.id)
		expect(text.status).toBe(404)
		expect(text.response!.headers.get('content-type')).toMatch(/^text\/plain/)
		expect(await text.response!.text()).toBe((await getT('en'))('receipts.admin.fileMissing'))
		const img = await view(row.id, admin.cookie, 'image/avif,image/webp,image/*,*/*;q=0.8')
		expect(img.status).toBe(404)
		expect(img.response!.headers.get('content-type')).toMatch(/^image\/svg\+xml/)
		expect(await img.response!.text()).toContain('unavailable')

		const other = await submitOne()
		sim.setDown(true)
		const down = await view((await fileOf(other.id)).id)
		expect(down.status).toBe(503)
		expect(await down.response!.text()).toBe((await getT('en'))('receipts.admin.fileUnreachable'))
	})
})
