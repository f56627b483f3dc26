// Where new receipt files go (issue 11): Postgres (the default) or an S3-compatible bucket. One
// `settings` row (key "receipt_storage"); the secret key is sealed under MASTER_KEY like panel
// credentials and never sent back to a page. The S3 connection is kept when the admin switches
// back to "db": files already in the bucket stay readable (each row says where its bytes are).
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { audit } from '~/utils/audit.server'
import { open, seal } from '~/utils/crypto.server'
import { prisma } from '~/utils/db.server'
import { createS3Client, S3Error, type S3Config, type S3ErrorKind } from './s3/client.server'

const KEY = 'receipt_storage'

const Stored = z.object({
	store: z.enum(['db', 's3']).default('db'),
	endpoint: z.string().nullable().default(null),
	bucket: z.string().nullable().default(null),
	region: z.string().default('us-east-1'),
	accessKeyId: z.string().nullable().default(null),
	/** sealed */
	secretAccessKey: z.string().nullable().default(null),
	pathStyle: z.boolean().default(true),
})
type Stored = z.infer<typeof Stored>

export interface ReceiptStorageSettings extends Omit<Stored, 'secretAccessKey'> {
	secretAccessKey: string | null
}

export async function getReceiptStorageSettings(): Promise<ReceiptStorageSettings> {
	const row = await prisma.setting.findUnique({ where: { key: KEY } })
	const s = Stored.safeParse(row?.value ?? {})
	const v = s.success ? s.data : Stored.parse({})
	return { ...v, secretAccessKey: v.secretAccessKey ? open(v.secretAccessKey) : null }
}

/** The bucket connection, or null while any part of it is missing. */
export function s3ConfigOf(s: Pick<ReceiptStorageSettings, 'endpoint' | 'bucket' | 'region' | 'accessKeyId' | 'secretAccessKey' | 'pathStyle'>): S3Config | null {
	if (!s.endpoint || !s.bucket || !s.accessKeyId || !s.secretAccessKey) return null
	return { endpoint: s.endpoint, bucket: s.bucket, region: s.region || 'us-east-1', accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, pathStyle: s.pathStyle }
}

export function publicReceiptStorageSettings(s: ReceiptStorageSettings) {
	return { store: s.store, endpoint: s.endpoint ?? '', bucket: s.bucket ?? '', region: s.region, accessKeyId: s.accessKeyId ?? '', secretSet: !!s.secretAccessKey, pathStyle: s.pathStyle }
}

export interface SaveReceiptStorageInput {
	store: 'db' | 's3'
	endpoint: string | null
	bucket: string | null
	region: string
	accessKeyId: string | null
	/** undefined keeps the stored one (the form never shows it) */
	secretAccessKey?: string
	pathStyle: boolean
}

/** The form's values with the stored secret filled in where the field was left blank. */
export async function withStoredSecret(input: SaveReceiptStorageInput) {
	const current = await getReceiptStorageSettings()
	return { current, merged: { ...input, secretAccessKey: input.secretAccessKey ?? current.secretAccessKey } }
}

export async function saveReceiptStorageSettings(input: SaveReceiptStorageInput, actorId: number | null, ip: string | null = null) {
	const { current, merged } = await withStoredSecret(input)
	const value: Stored = { ...merged, secretAccessKey: merged.secretAccessKey ? seal(merged.secretAccessKey) : null }
	await prisma.$transaction(async (tx) => {
		await tx.setting.upsert({ where: { key: KEY }, create: { key: KEY, value, updatedBy: actorId }, update: { value, updatedBy: actorId } })
		await audit(
			{ actorId, action: 'receipt_storage.update', entityType: 'setting', entityId: KEY, before: publicReceiptStorageSettings(current), after: { ...publicReceiptStorageSettings({ ...merged }), secretChanged: !!input.secretAccessKey }, ip },
			tx,
		)
	})
}

export type ProbeResult = { ok: true } | { ok: false; step: 'put' | 'get' | 'delete'; kind: S3ErrorKind | 'mismatch'; detail: string }

/**
 * "Test connection": what an upload and the viewer will do — PutObject, GetObject (the same bytes
 * back), DeleteObject — on a probe key of its own. Says which step failed and how.
 */
export async function probeS3(config: S3Config): Promise<ProbeResult> {
	const client = createS3Client(config)
	const key = `receipts/.probe-${randomBytes(8).toString('hex')}`
	const body = new Uint8Array(randomBytes(32))
	let step: 'put' | 'get' | 'delete' = 'put'
	try {
		await client.putObject(key, body, 'application/octet-stream')
		step = 'get'
		const back = await client.getObject(key)
		if (!back || !Buffer.from(back.bytes).equals(Buffer.from(body))) return { ok: false, step, kind: 'mismatch', detail: back ? 'different bytes came back' : 'the object was not found right after it was written' }
		step = 'delete'
		await client.deleteObject(key)
		return { ok: true }
	} catch (e) {
		if (!(e instanceof S3Error)) throw e
		return { ok: false, step, kind: e.kind, detail: e.message }
	}
}

/** npm run rotate-key: the sealed secret under the new MASTER_KEY (compare-and-set). */
export async function resealReceiptStorageSettings(needsRotation: (sealed: string) => boolean) {
	const row = await prisma.setting.findUnique({ where: { key: KEY } })
	const s = Stored.safeParse(row?.value ?? null)
	if (!row || !s.success || !s.data.secretAccessKey || !needsRotation(s.data.secretAccessKey)) return 0
	const value = { ...s.data, secretAccessKey: seal(open(s.data.secretAccessKey)) }
	const { count } = await prisma.setting.updateMany({ where: { key: KEY, updatedAt: row.updatedAt }, data: { value } })
	return count
}

export type ReceiptStorageOutcome = { done: 'saved' } | { done: 'tested'; probe: ProbeResult } | { done: 'refused'; probe: ProbeResult } | { done: 'secret_missing' }

/**
 * The admin's form: "test" probes the typed connection (the stored secret if left blank) and saves
 * nothing; "save" with store = s3 saves only after the probe passed — payers never meet a bucket
 * that was wrong from the start. Saving store = db needs no probe (the connection is kept as typed).
 */
export async function submitReceiptStorageForm(intent: 'save' | 'test', input: SaveReceiptStorageInput, actorId: number, ip: string | null): Promise<ReceiptStorageOutcome> {
	if (intent === 'test' || input.store === 's3') {
		const { merged } = await withStoredSecret(input)
		const config = s3ConfigOf(merged)
		if (!config) return { done: 'secret_missing' }
		const probe = await probeS3(config)
		if (intent === 'test') return { done: 'tested', probe }
		if (!probe.ok) return { done: 'refused', probe }
	}
	await saveReceiptStorageSettings(input, actorId, ip)
	return { done: 'saved' }
}
