// /admin/gateways, receipt storage section: "test connection" probes the typed values against the
// S3 simulator (put, get, delete) and saves nothing; saving store = s3 needs a passing probe; the
// secret key is sealed and never sent back; a blank secret keeps the stored one; bad input is a
// 400 with translated field errors; only admins; npm run rotate-key re-seals the secret.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { action, loader } from '~/routes/admin+/gateways'
import { getReceiptStorageSettings } from '~/services/payments/receipt-storage-settings.server'
import { prisma } from '~/utils/db.server'
import { SIM_S3, startS3Sim, type S3Sim } from '../../sim/s3'
import { loginAs } from '../factories'
import { contextFor, formRequest, getRequest, settle } from '../helpers'

let sim: S3Sim
let cookie: string
beforeAll(async () => {
	sim = await startS3Sim()
	cookie = (await loginAs('admin')).cookie
})
afterAll(async () => {
	await sim.close()
})

type DataReply = { init: { status: number } | null; data: { intent: string; probe: { ok: boolean; kind?: string; step?: string } | null; result: { error?: Record<string, string[]> } } }
const post = (fields: Record<string, string>, as = cookie) => settle(() => action({ request: formRequest('/admin/gateways', fields, { cookie: as }), params: {}, context: contextFor() }))
const form = (over: Record<string, string> = {}) => ({ intent: 'receipt_storage', store: 's3', endpoint: sim.url, bucket: SIM_S3.bucket, region: SIM_S3.region, accessKeyId: SIM_S3.accessKeyId, secretAccessKey: SIM_S3.secretAccessKey, pathStyle: 'on', ...over })
const storedRow = () => prisma.setting.findUnique({ where: { key: 'receipt_storage' } })

describe('receipt storage settings', () => {
	test('test connection: put + get + delete on a probe key, nothing saved; a wrong secret says which step and why', async () => {
		const ok = (await post(form({ intent: 'receipt_storage_test' }))) as unknown as DataReply
		expect(ok.data.probe).toEqual({ ok: true })
		expect(sim.control.stats().byRoute).toMatchObject({ 'PUT object': 1, 'GET object': 1, 'DELETE object': 1 })
		expect(sim.state.objects.size).toBe(0) // the probe cleaned up
		expect(await storedRow()).toBeNull()

		const bad = (await post(form({ intent: 'receipt_storage_test', secretAccessKey: 'wrong' }))) as unknown as DataReply
		expect(bad.data.probe).toMatchObject({ ok: false, step: 'put', kind: 'denied' })
		const noBucket = (await post(form({ intent: 'receipt_storage_test', bucket: 'no-such-bucket' }))) as unknown as DataReply
		expect(noBucket.data.probe).toMatchObject({ ok: false, kind: 'no_bucket' })
		expect(await storedRow()).toBeNull()
	})

	test('saving s3 with a failing probe is refused (400, nothing saved); with a passing one it is saved, the secret sealed and never shown', async () => {
		const refused = (await post(form({ secretAccessKey: 'wrong' }))) as unknown as DataReply
		expect(refused.init?.status).toBe(400)
		expect(refused.data.probe).toMatchObject({ ok: false, kind: 'denied' })
		expect(await storedRow()).toBeNull()

		const saved = (await post(form())) as Response
		expect(saved.status).toBe(302)
		const row = await storedRow()
		expect(JSON.stringify(row!.value)).not.toContain(SIM_S3.secretAccessKey)
		expect((row!.value as { secretAccessKey: string }).secretAccessKey).toMatch(/^v1\./)
		expect(await getReceiptStorageSettings()).toMatchObject({ store: 's3', endpoint: sim.url, secretAccessKey: SIM_S3.secretAccessKey, pathStyle: true })

		// Saved again with a blank secret (the form never shows it): the stored one is kept and still probes fine.
		expect(((await post(form({ secretAccessKey: '', region: '' }))) as Response).status).toBe(302)
		expect(await getReceiptStorageSettings()).toMatchObject({ secretAccessKey: SIM_S3.secretAccessKey, region: 'us-east-1' })

		const page = (await loader({ request: getRequest('/admin/gateways', cookie), params: {}, context: contextFor() })) as Awaited<ReturnType<typeof loader>>
		expect(JSON.stringify(page)).not.toContain(SIM_S3.secretAccessKey)
		expect(page.receiptStorage).toMatchObject({ store: 's3', bucket: SIM_S3.bucket, secretSet: true })
		expect(await prisma.auditEvent.count({ where: { action: 'receipt_storage.update' } })).toBe(2)

		// Back to db: no probe needed, the connection is kept for the files already in the bucket.
		expect(((await post(form({ store: 'db', secretAccessKey: '' }))) as Response).status).toBe(302)
		expect(await getReceiptStorageSettings()).toMatchObject({ store: 'db', endpoint: sim.url, secretAccessKey: SIM_S3.secretAccessKey })
	})

	test('bad input: 400 with translated field errors, nothing changed; non-admins 403', async () => {
		const before = await storedRow()
		const r = (await post(form({ store: 's3', endpoint: 'javascript:alert(1)', bucket: 'Bad_Bucket', region: 'EU WEST', accessKeyId: '' }))) as unknown as DataReply
		expect(r.init?.status).toBe(400)
		expect(r.data.result.error).toMatchObject({ endpoint: ['receipts.storage.errors.endpoint'], bucket: ['receipts.storage.errors.bucket'], region: ['receipts.storage.errors.region'], accessKeyId: ['receipts.storage.errors.accessKeyId'] })
		const odd = (await post(form({ store: 'ftp' }))) as unknown as DataReply
		expect(odd.init?.status).toBe(400)
		expect(await storedRow()).toEqual(before)
		const reseller = await loginAs('reseller')
		expect(((await post(form(), reseller.cookie)) as Response).status).toBe(403)
	})

	test('npm run rotate-key re-seals the S3 secret', async () => {
		const { encryptWith, fingerprint } = await import('~/utils/crypto.server')
		const { rotateSecrets } = await import('~/services/key-rotation.server')
		const { env } = await import('~/utils/env.server')
		const oldKey = Buffer.alloc(32, 98)
		const row = (await storedRow())!
		await prisma.setting.update({ where: { key: 'receipt_storage' }, data: { value: { ...(row.value as object), secretAccessKey: encryptWith(oldKey, SIM_S3.secretAccessKey) } } })
		env().MASTER_KEY_PREVIOUS = oldKey.toString('base64')
		try {
			expect((await rotateSecrets()).rotated).toBeGreaterThanOrEqual(1)
			const sealed = ((await storedRow())!.value as { secretAccessKey: string }).secretAccessKey
			expect(sealed.split('.')[1]).toBe(fingerprint(Buffer.from(env().MASTER_KEY, 'base64')))
		} finally {
			env().MASTER_KEY_PREVIOUS = undefined
		}
		expect((await getReceiptStorageSettings()).secretAccessKey).toBe(SIM_S3.secretAccessKey)
	})
})
