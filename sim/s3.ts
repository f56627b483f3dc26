// An in-memory S3-compatible object store (PutObject, GetObject, HeadObject, DeleteObject) that
// authenticates the way AWS S3 and MinIO do: it recomputes the SigV4 signature from the request
// itself and refuses anything that does not match. Rules followed (MinIO cmd/signature-v4.go
// doesSignatureMatch / getCanonicalRequest / getCanonicalHeaders, cmd/auth-handler.go for the
// clock skew; AWS sig-v4-header-based-auth.html):
//   - canonical URI: the request path decoded, then each segment URI-encoded once (s3utils.EncodePath);
//   - canonical query: pairs sorted by key then value, RFC 3986 encoded, '+' meaning space;
//   - canonical headers: exactly the SignedHeaders, names lower-cased, values trimmed with inner
//     runs of spaces collapsed (signV4TrimAll), repeated headers joined by ',';
//   - host must be signed; x-amz-date within 15 minutes of the sim's clock (RequestTimeTooSkewed);
//   - the body's SHA-256 must equal x-amz-content-sha256 (XAmzContentSHA256Mismatch), checked after
//     the signature as S3 does when it reads the body.
// Stricter than S3 on one point, on purpose: UNSIGNED-PAYLOAD is refused unless allowed, because
// the hub must sign its payloads. Errors are S3's XML bodies. Path-style (/bucket/key) and
// virtual-hosted (Host: bucket.<name>) addressing are both understood.
// Control (in-process and POST /__sim/<action>): down {down}, objects, clear, plus SimControl's
// faults (failNext http500|timeout|reset, clearFaults, stats).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import { isIP, type AddressInfo } from 'node:net'
import { SimControl } from './base'

export const SIM_S3 = { accessKeyId: 'GUARDINOSIM0ACCESS01', secretAccessKey: 'sim/S3+secret0key0for0the0demo0only00000', bucket: 'guardino-receipts', region: 'us-east-1' }
const MAX_SKEW_MS = 15 * 60_000

export interface S3Object {
	bytes: Buffer
	contentType: string
	etag: string
	lastModified: Date
}

export interface S3SimOptions {
	port?: number
	region?: string
	/** access key id → secret key */
	credentials?: Record<string, string>
	buckets?: string[]
	allowUnsignedPayload?: boolean
	now?: () => Date
}

type Reply = { status: number; headers?: Record<string, string>; body?: Buffer | string }

const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex')
const hmac = (k: Buffer | string, d: string) => createHmac('sha256', k).update(d).digest()
const xmlEscape = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)
const decode = (s: string) => {
	try {
		return decodeURIComponent(s)
	} catch {
		return s
	}
}

export async function startS3Sim(opts: S3SimOptions = {}) {
	const region = opts.region ?? SIM_S3.region
	const credentials = new Map(Object.entries(opts.credentials ?? { [SIM_S3.accessKeyId]: SIM_S3.secretAccessKey }))
	const buckets = new Set(opts.buckets ?? [SIM_S3.bucket])
	const objects = new Map<string, S3Object>()
	const now = opts.now ?? (() => new Date())
	const control = new SimControl({ addTraffic: () => {} })
	const state = {
		objects,
		buckets,
		/** Every request refused with its S3 error code (tests read why). */
		refusals: [] as Array<{ method: string; path: string; code: string }>,
		/** x-amz-content-sha256 of each authenticated request. */
		payloadHashes: [] as string[],
		down: false,
	}

	function error(status: number, code: string, message: string, resource: string, extra: Record<string, string> = {}): Reply {
		const more = Object.entries(extra).map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`).join('')
		const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message><Resource>${xmlEscape(resource)}</Resource>${more}<RequestId>${randomBytes(8).toString('hex').toUpperCase()}</RequestId></Error>`
		return { status, headers: { 'content-type': 'application/xml' }, body }
	}

	/** null when the signature holds; otherwise the S3 error to answer. */
	function authenticate(req: http.IncomingMessage, rawPath: string, rawQuery: string, body: Buffer, resource: string): Reply | null {
		const auth = req.headers.authorization
		if (!auth) return error(403, 'AccessDenied', 'Access Denied.', resource)
		const m = /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8})\/([^/\s]+)\/s3\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/.exec(auth)
		if (!m) return error(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.', resource)
		const [, accessKey, scopeDate, scopeRegion, signedList, signature] = m as unknown as [string, string, string, string, string, string]
		const secret = credentials.get(accessKey)
		if (secret === undefined) return error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', resource)
		if (scopeRegion !== region) return error(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; the region '${scopeRegion}' is wrong; expecting '${region}'`, resource, { Region: region })
		const signed = signedList.split(';')
		if (!signed.includes('host')) return error(403, 'AccessDenied', 'There were headers present in the request which were not signed', resource, { HeadersNotSigned: 'host' })
		const payloadHash = req.headers['x-amz-content-sha256']
		if (typeof payloadHash !== 'string') return error(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256', resource)
		if (payloadHash === 'UNSIGNED-PAYLOAD' ? !opts.allowUnsignedPayload : !/^[0-9a-f]{64}$/.test(payloadHash)) return error(400, 'InvalidArgument', 'x-amz-content-sha256 must be the SHA-256 of the payload', resource)
		const date = typeof req.headers['x-amz-date'] === 'string' ? req.headers['x-amz-date'] : ''
		const when = /^\d{8}T\d{6}Z$/.test(date) ? new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`) : null
		if (!when || Number.isNaN(when.getTime())) return error(403, 'AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header', resource)
		if (Math.abs(now().getTime() - when.getTime()) > MAX_SKEW_MS) return error(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', resource)
		if (date.slice(0, 8) !== scopeDate) return error(403, 'SignatureDoesNotMatch', 'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP', resource)

		const canonicalUri = rawPath.split('/').map((seg) => enc(decode(seg))).join('/') || '/'
		const canonicalQuery = [...new URLSearchParams(rawQuery).entries()]
			.map(([k, v]) => [enc(k), enc(v)] as const)
			.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
			.map(([k, v]) => `${k}=${v}`)
			.join('&')
		const distinct = req.headersDistinct
		const canonicalHeaders = [...signed].sort().map((name) => `${name}:${(distinct[name] ?? []).map((v) => v.trim().replace(/\s+/g, ' ')).join(',')}\n`).join('')
		const canonicalRequest = [req.method ?? 'GET', canonicalUri, canonicalQuery, canonicalHeaders, [...signed].sort().join(';'), payloadHash].join('\n')
		const scope = `${scopeDate}/${scopeRegion}/s3/aws4_request`
		const stringToSign = ['AWS4-HMAC-SHA256', date, scope, sha256(canonicalRequest)].join('\n')
		const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, scopeDate), scopeRegion), 's3'), 'aws4_request')
		const expected = createHmac('sha256', key).update(stringToSign).digest('hex')
		if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
			return error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', resource, { AWSAccessKeyId: accessKey, StringToSign: stringToSign, SignatureProvided: signature, CanonicalRequest: canonicalRequest })
		}
		if (payloadHash !== 'UNSIGNED-PAYLOAD' && sha256(body) !== payloadHash) {
			return error(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", resource, { ClientComputedContentSHA256: payloadHash, S3ComputedContentSHA256: sha256(body) })
		}
		state.payloadHashes.push(payloadHash)
		return null
	}

	/** Virtual-hosted when the Host names a known bucket (bucket.<rest>, not an IP); path-style otherwise. */
	function locate(req: http.IncomingMessage, rawPath: string) {
		const hostname = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '')
		const label = hostname.split('.')[0] ?? ''
		if (!isIP(hostname) && hostname.includes('.') && buckets.has(label)) return { bucket: label, key: decode(rawPath.slice(1)) }
		const [, bucket = '', ...rest] = rawPath.split('/')
		return { bucket: decode(bucket), key: rest.map(decode).join('/') }
	}

	function handle(req: http.IncomingMessage, body: Buffer): Reply {
		const [rawPath = '/', rawQuery = ''] = (req.url ?? '/').split('?', 2) as [string, string?]
		const { bucket, key } = locate(req, rawPath)
		const resource = `/${bucket}${key ? `/${key}` : ''}`
		const method = req.method ?? 'GET'
		const refused = authenticate(req, rawPath, rawQuery ?? '', body, resource)
		if (refused) return refused
		if (!buckets.has(bucket)) return error(404, 'NoSuchBucket', 'The specified bucket does not exist', resource, { BucketName: bucket })
		if (!key) return error(501, 'NotImplemented', 'Only object operations are simulated', resource)
		const id = `${bucket}/${key}`
		if (method === 'PUT') {
			const etag = `"${createHash('md5').update(body).digest('hex')}"`
			objects.set(id, { bytes: body, contentType: String(req.headers['content-type'] ?? 'binary/octet-stream'), etag, lastModified: now() })
			return { status: 200, headers: { etag } }
		}
		if (method === 'GET' || method === 'HEAD') {
			const o = objects.get(id)
			if (!o) return error(404, 'NoSuchKey', 'The specified key does not exist.', resource, { Key: key })
			return { status: 200, headers: { 'content-type': o.contentType, etag: o.etag, 'last-modified': o.lastModified.toUTCString() }, body: o.bytes }
		}
		if (method === 'DELETE') {
			objects.delete(id) // S3 answers 204 whether or not the key existed
			return { status: 204 }
		}
		return error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', resource)
	}

	async function controlAction(action: string, b: Record<string, unknown>): Promise<unknown> {
		if (action === 'down') {
			state.down = b.down !== false
			return { ok: true }
		}
		if (action === 'objects') return [...objects.entries()].map(([k, o]) => ({ key: k, size: o.bytes.length, contentType: o.contentType }))
		if (action === 'clear') {
			objects.clear()
			return { ok: true }
		}
		return control.handleControl(action, b)
	}

	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = []
		req.on('data', (c: Buffer) => chunks.push(c))
		req.on('end', () => {
			void (async () => {
				const body = Buffer.concat(chunks)
				const path = (req.url ?? '/').split('?')[0]!
				const method = req.method ?? 'GET'
				if (path.startsWith('/__sim/') && method === 'POST') {
					let parsed: Record<string, unknown> = {}
					try {
						parsed = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {}
					} catch {
						/* an empty action body */
					}
					const reply = await controlAction(path.slice('/__sim/'.length), parsed)
					return send(res, reply === null ? { status: 404, body: '{"detail":"unknown sim action"}' } : { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(reply) })
				}
				// "down": the connection is dropped without an answer, as a dead host behind a proxy would.
				if (state.down) return req.socket.destroy()
				control.count(`${method} object`)
				await control.delay()
				await control.passHolds(method, path) // test seam: a request held mid-flight (SimControl.hold)
				const fault = control.takeFault(method, path)
				if (fault === 'reset') return req.socket.destroy()
				if (fault === 'timeout' || fault === 'work_then_timeout') return // held until the client gives up
				if (fault === 'http500') return send(res, error(500, 'InternalError', 'We encountered an internal error. Please try again.', path))
				const reply = handle(req, body)
				if (reply.status >= 400) state.refusals.push({ method, path, code: /<Code>([^<]+)<\/Code>/.exec(String(reply.body))?.[1] ?? String(reply.status) })
				send(res, reply, method === 'HEAD')
			})().catch((e: unknown) => {
				if (!res.headersSent) send(res, error(500, 'InternalError', String(e), '/'))
			})
		})
	})

	function send(res: http.ServerResponse, r: Reply, headOnly = false) {
		const body = r.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body)
		res.writeHead(r.status, { 'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(), server: 'GuardinoS3Sim', ...r.headers, 'content-length': String(body.length) })
		res.end(headOnly || r.status === 204 ? undefined : body)
	}

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject)
		server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
	})
	const port = (server.address() as AddressInfo).port
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		region,
		state,
		control,
		setDown(down: boolean) {
			state.down = down
		},
		async close() {
			server.closeAllConnections()
			await new Promise<void>((r) => server.close(() => r()))
		},
	}
}

export type S3Sim = Awaited<ReturnType<typeof startS3Sim>>
