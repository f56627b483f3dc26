// A minimal S3 client: PutObject, GetObject, DeleteObject, signed with SigV4 (./sigv4.ts). Path
// style (https://endpoint/bucket/key) by default — what MinIO, Ceph, ArvanCloud and most
// S3-compatibles want — or virtual-hosted (https://bucket.endpoint/key). Every failure is an
// S3Error with a kind the caller can act on; a missing object is null, not an error.
import { fetch as undiciFetch } from 'undici'
import { mapNetworkError } from '../../panels/http.server'
import { EMPTY_SHA256, sha256Hex, signRequest, uriEncode } from './sigv4'

export const S3_TIMEOUT_MS = 15_000

export interface S3Config {
	/** e.g. https://s3.ir-thr-at1.arvanstorage.ir or http://127.0.0.1:9000 */
	endpoint: string
	bucket: string
	region: string
	accessKeyId: string
	secretAccessKey: string
	pathStyle: boolean
	timeoutMs?: number
}

/**
 * unreachable / timeout: no answer; denied: the store refused our keys or signature (403, 400
 * auth errors); no_bucket: NoSuchBucket; server: 5xx or an answer we cannot read.
 */
export type S3ErrorKind = 'unreachable' | 'timeout' | 'denied' | 'no_bucket' | 'server'

export class S3Error extends Error {
	constructor(readonly kind: S3ErrorKind, readonly s3Code: string | null, message: string) {
		super(message)
		this.name = 'S3Error'
	}
}

export interface S3Client {
	putObject(key: string, body: Uint8Array, contentType: string): Promise<void>
	/** null when the object does not exist (NoSuchKey). */
	getObject(key: string): Promise<{ bytes: Uint8Array; contentType: string | null } | null>
	deleteObject(key: string): Promise<void>
}

/** The object's URL; each key segment is encoded once, as the canonical request encodes it. */
export function objectUrl(c: Pick<S3Config, 'endpoint' | 'bucket' | 'pathStyle'>, key: string) {
	const base = new URL(c.endpoint.replace(/\/+$/, ''))
	const encodedKey = key.split('/').map(uriEncode).join('/')
	const prefix = base.pathname.replace(/\/+$/, '')
	if (c.pathStyle) return new URL(`${base.protocol}//${base.host}${prefix}/${uriEncode(c.bucket)}/${encodedKey}`)
	return new URL(`${base.protocol}//${c.bucket}.${base.host}${prefix}/${encodedKey}`)
}

/** <Error><Code>…</Code><Message>…</Message></Error>, S3's error body. */
function readError(xml: string) {
	const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
	const unescape = (s: string) => s.replace(/&(#\d+|amp|lt|gt|quot|apos);/g, (_m, e: string) => (e.startsWith('#') ? String.fromCharCode(Number(e.slice(1))) : entities[e]!))
	const pick = (tag: string) => {
		const v = xml.match(new RegExp(`<${tag}>([^<]*)</${tag}>`))?.[1]
		return v === undefined ? null : unescape(v)
	}
	return { code: pick('Code'), message: pick('Message') }
}

const DENIED = new Set(['SignatureDoesNotMatch', 'InvalidAccessKeyId', 'AccessDenied', 'AuthorizationHeaderMalformed', 'RequestTimeTooSkewed', 'XAmzContentSHA256Mismatch', 'InvalidRequest'])

export function createS3Client(config: S3Config, now: () => Date = () => new Date()): S3Client {
	const timeoutMs = config.timeoutMs ?? S3_TIMEOUT_MS

	async function send(method: 'PUT' | 'GET' | 'DELETE', key: string, body?: Uint8Array, headers: Record<string, string> = {}) {
		const url = objectUrl(config, key)
		const signed = signRequest({ method, url, headers, payloadSha256: body ? sha256Hex(body) : EMPTY_SHA256, accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey, region: config.region, now: now() })
		// fetch sets Host itself from the URL (the same value we signed); passing it is not allowed.
		const { host: _host, ...sendHeaders } = signed.headers
		try {
			const res = await undiciFetch(url, { method, headers: sendHeaders, body, signal: AbortSignal.timeout(timeoutMs) })
			const bytes = new Uint8Array(await res.arrayBuffer())
			return { status: res.status, bytes, contentType: res.headers.get('content-type') }
		} catch (e) {
			const mapped = mapNetworkError(e)
			throw new S3Error(mapped.code === 'timeout' ? 'timeout' : 'unreachable', null, mapped.reason ?? 'network error')
		}
	}

	function fail(status: number, bytes: Uint8Array): never {
		const { code, message } = readError(Buffer.from(bytes).toString('utf8'))
		const text = `${status} ${code ?? ''} ${message ?? ''}`.trim()
		if (code === 'NoSuchBucket') throw new S3Error('no_bucket', code, text)
		if (status >= 500) throw new S3Error('server', code, text)
		if (status === 403 || (code && DENIED.has(code))) throw new S3Error('denied', code, text)
		throw new S3Error('server', code, text)
	}

	return {
		async putObject(key, body, contentType) {
			const r = await send('PUT', key, body, { 'content-type': contentType })
			if (r.status !== 200) fail(r.status, r.bytes)
		},
		async getObject(key) {
			const r = await send('GET', key)
			if (r.status === 200) return { bytes: r.bytes, contentType: r.contentType }
			if (r.status === 404 && readError(Buffer.from(r.bytes).toString('utf8')).code === 'NoSuchKey') return null
			fail(r.status, r.bytes)
		},
		async deleteObject(key) {
			const r = await send('DELETE', key)
			// S3 answers 204 whether or not the key existed.
			if (r.status !== 204 && r.status !== 200) fail(r.status, r.bytes)
		},
	}
}
