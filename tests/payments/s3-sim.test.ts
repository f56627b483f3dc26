// The S3 simulator really verifies SigV4 (so the receipt tests cannot pass with a broken signer)
// and the client reads its answers: round trip with an awkward key; SignatureDoesNotMatch for a
// wrong secret or a header changed after signing; XAmzContentSHA256Mismatch for a body changed
// after signing; UNSIGNED-PAYLOAD refused; a skewed clock refused; NoSuchBucket / NoSuchKey.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createS3Client, objectUrl, S3Error, type S3Config } from '~/services/payments/s3/client.server'
import { sha256Hex, signRequest } from '~/services/payments/s3/sigv4'
import { SIM_S3, startS3Sim, type S3Sim } from '../../sim/s3'

let sim: S3Sim
let config: S3Config
beforeAll(async () => {
	sim = await startS3Sim()
	config = { endpoint: sim.url, bucket: SIM_S3.bucket, region: SIM_S3.region, accessKeyId: SIM_S3.accessKeyId, secretAccessKey: SIM_S3.secretAccessKey, pathStyle: true }
})
afterAll(async () => {
	await sim.close()
})

const bytes = (s: string) => new Uint8Array(Buffer.from(s))
async function failure(p: Promise<unknown>) {
	try {
		await p
	} catch (e) {
		if (e instanceof S3Error) return e
		throw e
	}
	throw new Error('expected an S3Error')
}

/** A signed PUT sent by hand, so a test can change it after signing. */
function signedPut(key: string, body: Uint8Array, tamper: { body?: Uint8Array; headers?: Record<string, string>; payload?: string } = {}) {
	const url = objectUrl(config, key)
	const s = signRequest({ method: 'PUT', url, headers: { 'content-type': 'image/webp' }, payloadSha256: tamper.payload ?? sha256Hex(body), accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey, region: config.region, now: new Date() })
	const { host: _host, ...headers } = s.headers
	return fetch(url, { method: 'PUT', headers: { ...headers, ...tamper.headers }, body: (tamper.body ?? body) as Uint8Array<ArrayBuffer> })
}
const codeOf = async (r: Response) => /<Code>([^<]+)<\/Code>/.exec(await r.text())?.[1]

describe('the S3 simulator verifies what it is sent', () => {
	test('put, get, delete round trip; a key with spaces, $ and non-ASCII is encoded once and found again', async () => {
		const c = createS3Client(config)
		const key = 'receipts/a b$c/رسید.webp'
		await c.putObject(key, bytes('hello'), 'image/webp')
		expect(sim.state.objects.get(`${SIM_S3.bucket}/${key}`)?.contentType).toBe('image/webp')
		expect(Buffer.from((await c.getObject(key))!.bytes).toString()).toBe('hello')
		await c.deleteObject(key)
		expect(await c.getObject(key)).toBeNull()
	})

	test('a wrong secret or an unknown access key: denied', async () => {
		expect(await failure(createS3Client({ ...config, secretAccessKey: 'wrong' }).putObject('k', bytes('x'), 'a/b'))).toMatchObject({ kind: 'denied', s3Code: 'SignatureDoesNotMatch' })
		expect(await failure(createS3Client({ ...config, accessKeyId: 'NOBODY' }).getObject('k'))).toMatchObject({ kind: 'denied', s3Code: 'InvalidAccessKeyId' })
		expect(await failure(createS3Client({ ...config, region: 'eu-west-1' }).getObject('k'))).toMatchObject({ kind: 'denied', s3Code: 'AuthorizationHeaderMalformed' })
	})

	test('changed after signing: a signed header (403 SignatureDoesNotMatch) or the body (400 XAmzContentSHA256Mismatch)', async () => {
		const ok = await signedPut('t/ok', bytes('original'))
		expect(ok.status).toBe(200)
		const header = await signedPut('t/h', bytes('original'), { headers: { 'content-type': 'text/html' } })
		expect(header.status).toBe(403)
		expect(await codeOf(header)).toBe('SignatureDoesNotMatch')
		const body = await signedPut('t/b', bytes('original'), { body: bytes('replaced') })
		expect(body.status).toBe(400)
		expect(await codeOf(body)).toBe('XAmzContentSHA256Mismatch')
		expect(sim.state.objects.has(`${SIM_S3.bucket}/t/h`) || sim.state.objects.has(`${SIM_S3.bucket}/t/b`)).toBe(false)
	})

	test('UNSIGNED-PAYLOAD is refused; a clock 20 minutes off is RequestTimeTooSkewed', async () => {
		const unsigned = await signedPut('t/u', bytes('x'), { payload: 'UNSIGNED-PAYLOAD' })
		expect(unsigned.status).toBe(400)
		const skewed = createS3Client(config, () => new Date(Date.now() - 20 * 60_000))
		expect(await failure(skewed.putObject('t/s', bytes('x'), 'a/b'))).toMatchObject({ kind: 'denied', s3Code: 'RequestTimeTooSkewed' })
	})

	test('NoSuchBucket is its own kind; NoSuchKey is null', async () => {
		expect(await failure(createS3Client({ ...config, bucket: 'missing-bucket' }).putObject('k', bytes('x'), 'a/b'))).toMatchObject({ kind: 'no_bucket' })
		expect(await createS3Client(config).getObject('never/written')).toBeNull()
	})
})
