// AWS Signature Version 4 for S3 (docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html),
// header-based, with the payload's SHA-256 signed (never UNSIGNED-PAYLOAD: a body changed in
// transit must fail). Written with node:crypto instead of the AWS SDK (decision in the report):
// four steps, each a pure function so tests check them against AWS's published examples.
import { createHash, createHmac } from 'node:crypto'

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

export interface SigningInput {
	method: string
	url: URL
	/** Headers to sign besides host, x-amz-date and x-amz-content-sha256 (e.g. content-type, range). */
	headers?: Record<string, string>
	/** Hex SHA-256 of the body (EMPTY_SHA256 for none). */
	payloadSha256: string
	accessKeyId: string
	secretAccessKey: string
	region: string
	service?: string
	now: Date
}

export const sha256Hex = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex')
const hmac = (key: Uint8Array | string, data: string) => createHmac('sha256', key).update(data).digest()

/** RFC 3986 percent-encoding of everything but the unreserved set, as SigV4 wants (encodeURIComponent leaves !'()* alone). */
export function uriEncode(s: string) {
	return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** Each path segment encoded once (S3 does not double-encode): /test$file.text → /test%24file.text. */
export function canonicalPath(url: URL) {
	return url.pathname
		.split('/')
		.map((seg) => uriEncode(safeDecode(seg)))
		.join('/') || '/'
}

function safeDecode(s: string) {
	try {
		return decodeURIComponent(s)
	} catch {
		return s
	}
}

/** Keys and values encoded, sorted by key then value; a bare `?lifecycle` is `lifecycle=`. */
export function canonicalQuery(url: URL) {
	return [...url.searchParams.entries()]
		.map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
		.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
		.map(([k, v]) => `${k}=${v}`)
		.join('&')
}

/** Lower-case names, sorted; values trimmed with inner runs of spaces collapsed. */
export function canonicalHeaders(headers: Record<string, string>) {
	const entries = Object.entries(headers)
		.map(([k, v]) => [k.toLowerCase(), v.trim().replace(/\s+/g, ' ')] as const)
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
	return { text: entries.map(([k, v]) => `${k}:${v}\n`).join(''), signed: entries.map(([k]) => k).join(';') }
}

export const amzDate = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')

export function canonicalRequest(method: string, url: URL, headers: Record<string, string>, payloadSha256: string) {
	const h = canonicalHeaders(headers)
	return { text: [method.toUpperCase(), canonicalPath(url), canonicalQuery(url), h.text, h.signed, payloadSha256].join('\n'), signedHeaders: h.signed }
}

export function stringToSign(canonical: string, now: Date, scope: string) {
	return ['AWS4-HMAC-SHA256', amzDate(now), scope, sha256Hex(canonical)].join('\n')
}

export function signingKey(secretAccessKey: string, date: string, region: string, service: string) {
	return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request')
}

/**
 * The headers to send: the caller's, plus host, x-amz-date, x-amz-content-sha256 and
 * Authorization. Every header returned is signed, so nothing can be changed on the way.
 */
export function signRequest(input: SigningInput) {
	const service = input.service ?? 's3'
	const date = amzDate(input.now)
	const headers: Record<string, string> = {
		...Object.fromEntries(Object.entries(input.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
		host: input.url.host, // what fetch sends: the port only when it is not the scheme's default
		'x-amz-content-sha256': input.payloadSha256,
		'x-amz-date': date,
	}
	const scope = `${date.slice(0, 8)}/${input.region}/${service}/aws4_request`
	const canonical = canonicalRequest(input.method, input.url, headers, input.payloadSha256)
	const toSign = stringToSign(canonical.text, input.now, scope)
	const signature = createHmac('sha256', signingKey(input.secretAccessKey, date.slice(0, 8), input.region, service)).update(toSign).digest('hex')
	const authorization = `AWS4-HMAC-SHA256 Credential=${input.accessKeyId}/${scope},SignedHeaders=${canonical.signedHeaders},Signature=${signature}`
	const signedHeaders: Record<string, string> = { ...headers, authorization }
	return { headers: signedHeaders, canonicalRequest: canonical.text, stringToSign: toSign, signature }
}
