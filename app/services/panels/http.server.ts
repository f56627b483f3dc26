// The one HTTP client every HTTP panel adapter goes through: timeouts, the token cache with one
// re-login on 401, retries for idempotent calls only, the proxy, and the mapping of every failure
// to a PanelError code. Adapters never see a raw fetch error or status.
import { createHash } from 'node:crypto'
import { createFetch } from 'ofetch'
import { Agent, ProxyAgent, fetch as undiciFetch, Headers as UndiciHeaders, type Dispatcher } from 'undici'
import { PanelError } from './errors'
import type { NodeConnection } from './types'

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** Either a login that yields auth headers (cached, redone once on 401) or fixed headers (API key). */
export type PanelAuth =
	| { login(http: PanelHttp): Promise<Record<string, string>> }
	| { headers: Record<string, string> }

export interface PanelHttpOptions {
	auth?: PanelAuth
	/** Delays between tries of an idempotent call; its length + 1 = number of tries. */
	retryDelaysMs?: number[]
	userAgent?: string
}

export interface RequestOptions {
	query?: Record<string, string | number | boolean | null | undefined | Array<string | number>>
	/** JSON body. */
	json?: unknown
	/** application/x-www-form-urlencoded body (OAuth2 password logins). */
	form?: Record<string, string>
	headers?: Record<string, string>
	/** Safe to repeat (a PUT of absolute values, a reset). GET/HEAD are always idempotent. */
	idempotent?: boolean
	/** Success statuses the caller expects; anything else 2xx is a bad_response. */
	expectStatus?: number | number[]
	/** 'text' returns the body as a string (subscription content); default parses JSON. */
	responseType?: 'json' | 'text'
	/** false skips the auth hook (the login call itself, public routes). */
	auth?: boolean
}

export interface PanelResponse<T> {
	status: number
	headers: Headers
	data: T
}

export interface PanelHttp {
	readonly baseUrl: string
	/** Parsed JSON (or text), null for 204/empty bodies. Throws PanelError. */
	request<T = unknown>(method: HttpMethod, path: string, opts?: RequestOptions): Promise<T>
	requestRaw<T = unknown>(method: HttpMethod, path: string, opts?: RequestOptions): Promise<PanelResponse<T>>
	/** Forget the cached auth headers (the next call logs in again). */
	clearAuth(): void
	close(): Promise<void>
}

export const DEFAULT_TIMEOUT_MS = 10_000
const DEFAULT_RETRY_DELAYS = [100, 300]

/**
 * Login tokens shared by every adapter of one panel login in this process. Each job builds its own
 * adapter; without this, every reconcile job logged in first — a second request per write, and at
 * a 3/s rate limit the logins were a third of the panel's load. Keyed by panel URL, username and a
 * hash of the password, so changed credentials never reuse an old token; a 401 clears the entry.
 */
const sharedTokens = new Map<string, Record<string, string>>()
const MAX_SHARED_TOKENS = 1000

/** Tests: start from no shared tokens. */
export function forgetSharedTokens() {
	sharedTokens.clear()
}

function tokenKey(conn: NodeConnection, baseUrl: string) {
	return createHash('sha256').update(`${baseUrl}\n${conn.username ?? ''}\n${conn.password ?? ''}\n${conn.proxyUrl ?? ''}`).digest('hex')
}

export function createPanelHttp(conn: NodeConnection, opts: PanelHttpOptions = {}): PanelHttp {
	if (!conn.baseUrl) throw new PanelError('rejected', 'base URL is missing')
	const baseUrl = conn.baseUrl.replace(/\/+$/, '')
	const timeoutMs = conn.timeoutMs ?? DEFAULT_TIMEOUT_MS
	const retryDelays = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS
	const connect = { rejectUnauthorized: conn.verifyTls, timeout: timeoutMs }
	const dispatcher: Dispatcher = conn.proxyUrl
		? new ProxyAgent({ uri: conn.proxyUrl, connect, requestTls: { rejectUnauthorized: conn.verifyTls } })
		: new Agent({ connect, keepAliveTimeout: 30_000 })

	// Status handling is ours, so ofetch neither throws on 4xx/5xx nor retries.
	const $fetch = createFetch({
		fetch: undiciFetch as unknown as typeof globalThis.fetch,
		Headers: UndiciHeaders as unknown as typeof globalThis.Headers,
		AbortController,
	}).create({ baseURL: baseUrl, retry: false, ignoreResponseError: true, responseType: 'text' })

	const shareKey = tokenKey(conn, baseUrl)
	let authHeaders: Record<string, string> | null = sharedTokens.get(shareKey) ?? null
	let loginInFlight: Promise<Record<string, string>> | null = null
	const forgetAuth = () => {
		authHeaders = null
		sharedTokens.delete(shareKey)
	}

	async function getAuthHeaders(): Promise<Record<string, string>> {
		if (!opts.auth) return {}
		if ('headers' in opts.auth) return opts.auth.headers
		authHeaders ??= sharedTokens.get(shareKey) ?? null
		if (authHeaders) return authHeaders
		// Concurrent callers share one login instead of stampeding the panel.
		const login = opts.auth.login
		loginInFlight ??= login(http).finally(() => {
			loginInFlight = null
		})
		authHeaders = await loginInFlight
		if (sharedTokens.size >= MAX_SHARED_TOKENS) sharedTokens.clear()
		sharedTokens.set(shareKey, authHeaders)
		return authHeaders
	}

	async function once<T>(method: HttpMethod, path: string, o: RequestOptions, extra: Record<string, string>) {
		const headers: Record<string, string> = { accept: 'application/json', ...extra, ...o.headers }
		if (opts.userAgent) headers['user-agent'] = opts.userAgent
		let body: string | undefined
		if (o.form) {
			headers['content-type'] = 'application/x-www-form-urlencoded'
			body = new URLSearchParams(o.form).toString()
		} else if (o.json !== undefined) {
			headers['content-type'] = 'application/json'
			body = JSON.stringify(o.json)
		}
		let res: Response & { _data?: string }
		try {
			res = (await $fetch.raw(path, {
				method,
				headers,
				body,
				query: cleanQuery(o.query),
				// Our own signal (not ofetch's timeout) so a stalled body counts against the limit too.
				signal: AbortSignal.timeout(timeoutMs),
				dispatcher,
			} as Parameters<typeof $fetch.raw>[1])) as Response & { _data?: string }
		} catch (e) {
			throw mapNetworkError(e)
		}
		const text = typeof res._data === 'string' ? res._data : ''
		return interpret<T>(res.status, res.headers, text, o)
	}

	async function withAuth<T>(method: HttpMethod, path: string, o: RequestOptions): Promise<PanelResponse<T>> {
		if (o.auth === false) return once<T>(method, path, o, {})
		// A failed login is final here: re-trying it would only repeat the same bad credentials.
		const headers = await getAuthHeaders()
		try {
			return await once<T>(method, path, o, headers)
		} catch (e) {
			const canRelogin = opts.auth && 'login' in opts.auth
			if (!(e instanceof PanelError) || e.code !== 'auth_failed' || !canRelogin) throw e
			// The token expired or was revoked: log in once more; a second 401 is real.
			forgetAuth()
			return once<T>(method, path, o, await getAuthHeaders())
		}
	}

	async function requestRaw<T>(method: HttpMethod, path: string, o: RequestOptions = {}) {
		const idempotent = method === 'GET' || method === 'HEAD' || o.idempotent === true
		for (let attempt = 0; ; attempt++) {
			try {
				return await withAuth<T>(method, path, o)
			} catch (e) {
				if (!idempotent || attempt >= retryDelays.length || !isRetryable(e)) throw e
				await new Promise((r) => setTimeout(r, retryDelays[attempt]))
			}
		}
	}

	const http: PanelHttp = {
		baseUrl,
		requestRaw,
		async request<T>(method: HttpMethod, path: string, o: RequestOptions = {}) {
			return (await requestRaw<T>(method, path, o)).data
		},
		clearAuth() {
			forgetAuth()
		},
		async close() {
			await dispatcher.close().catch(() => undefined)
		},
	}
	return http
}

function cleanQuery(q: RequestOptions['query']) {
	if (!q) return undefined
	const out: Record<string, string | string[]> = {}
	for (const [k, v] of Object.entries(q)) {
		if (v === undefined || v === null) continue
		out[k] = Array.isArray(v) ? v.map(String) : String(v)
	}
	return out
}

function isRetryable(e: unknown) {
	if (!(e instanceof PanelError)) return false
	if (e.code === 'timeout' || e.code === 'server_error') return true
	// A refused connection will be refused again; a reset may be a restarting proxy or panel.
	return e.code === 'unreachable' && e.reason === 'connection reset'
}

function interpret<T>(status: number, headers: Headers, text: string, o: RequestOptions): PanelResponse<T> {
	const empty = text.trim() === ''
	let parsed: unknown = undefined
	let isJson = false
	if (!empty) {
		try {
			parsed = JSON.parse(text)
			isJson = true
		} catch {
			isJson = false
		}
	}
	if (status >= 200 && status < 300) {
		const expected = o.expectStatus === undefined ? null : [o.expectStatus].flat()
		if (expected && !expected.includes(status)) {
			throw new PanelError('bad_response', `unexpected status ${status}`, status)
		}
		if (o.responseType === 'text') return { status, headers, data: text as T }
		if (empty) return { status, headers, data: null as T }
		if (!isJson) throw new PanelError('bad_response', `expected JSON, got ${describeBody(headers, text)}`, status)
		return { status, headers, data: parsed as T }
	}
	const reason = isJson ? extractReason(parsed) : undefined
	if (status === 401) throw new PanelError('auth_failed', reason, status)
	if (status >= 500) throw new PanelError('server_error', reason ?? `HTTP ${status}`, status)
	// 404/409 drive state decisions (account gone / already exists). An HTML 404 comes from the
	// wrong server or path, not from the panel, so it must not be read as "account not found".
	if (!empty && !isJson) {
		throw new PanelError('bad_response', `HTTP ${status} with ${describeBody(headers, text)}`, status)
	}
	if (status === 404) throw new PanelError('not_found', reason, status)
	if (status === 409) throw new PanelError('conflict', reason, status)
	if (status === 408) throw new PanelError('timeout', reason, status)
	if (status >= 400) throw new PanelError('rejected', reason ?? `HTTP ${status}`, status)
	throw new PanelError('bad_response', `unexpected status ${status}`, status)
}

function describeBody(headers: Headers, text: string) {
	const type = headers.get('content-type')?.split(';')[0] ?? 'no content-type'
	return /^\s*</.test(text) ? `HTML/XML (${type})` : `non-JSON body (${type})`
}

/**
 * The panel's own words from an error body: FastAPI `detail` (string, the xray panels' custom
 * 422 dict `{field: msg}`, or the default list of `{loc, msg}`), else `message` / `error`.
 */
export function extractReason(body: unknown): string | undefined {
	if (typeof body === 'string') return body.slice(0, 300) || undefined
	if (!body || typeof body !== 'object') return undefined
	const b = body as Record<string, unknown>
	const detail = b.detail
	if (typeof detail === 'string' && detail) return detail
	if (Array.isArray(detail)) {
		const parts = detail.map((d) => {
			const item = d as { loc?: unknown[]; msg?: string }
			const field = Array.isArray(item.loc) ? item.loc[item.loc.length - 1] : undefined
			return field !== undefined ? `${String(field)}: ${item.msg ?? ''}` : String(item.msg ?? '')
		})
		if (parts.length) return parts.join('; ')
	}
	if (detail && typeof detail === 'object') {
		const parts = Object.entries(detail as Record<string, unknown>).map(([k, v]) => `${k}: ${String(v)}`)
		if (parts.length) return parts.join('; ')
	}
	for (const key of ['message', 'error']) {
		if (typeof b[key] === 'string' && b[key]) return b[key] as string
	}
	return undefined
}

/** Walks the cause chain of a fetch failure; the reasons never echo URLs (they may hold credentials). */
export function mapNetworkError(e: unknown): PanelError {
	if (e instanceof PanelError) return e
	const chain: Array<{ name?: string; code?: string; message?: string }> = []
	for (let cur: unknown = e, i = 0; cur && i < 6; i++) {
		chain.push(cur as { name?: string; code?: string; message?: string })
		cur = (cur as { cause?: unknown }).cause
	}
	const has = (pred: (x: { name?: string; code?: string; message?: string }) => boolean) => chain.some(pred)
	if (has((x) => typeof x.message === 'string' && x.message.startsWith('Proxy response'))) {
		return new PanelError('unreachable', 'proxy refused the connection')
	}
	if (has((x) => x.name === 'TimeoutError' || x.name === 'AbortError' || x.code === 'UND_ERR_CONNECT_TIMEOUT')) {
		return new PanelError('timeout', 'no reply in time')
	}
	if (has((x) => x.code === 'UND_ERR_HEADERS_TIMEOUT' || x.code === 'UND_ERR_BODY_TIMEOUT' || x.code === 'ETIMEDOUT')) {
		return new PanelError('timeout', 'no reply in time')
	}
	if (has((x) => x.code === 'ECONNREFUSED')) return new PanelError('unreachable', 'connection refused')
	if (has((x) => x.code === 'ENOTFOUND' || x.code === 'EAI_AGAIN')) return new PanelError('unreachable', 'host not found')
	if (has((x) => x.code === 'ECONNRESET' || x.code === 'UND_ERR_SOCKET' || x.code === 'EPIPE')) {
		return new PanelError('unreachable', 'connection reset')
	}
	const tls = chain.find((x) => typeof x.code === 'string' && /CERT|SSL|TLS|SELF_SIGNED/.test(x.code))
	if (tls) return new PanelError('unreachable', `TLS error (${tls.code})`)
	const coded = chain.find((x) => typeof x.code === 'string')
	return new PanelError('unreachable', coded ? `network error (${coded.code})` : 'network error')
}

/** OAuth2 password-form login (Marzban, PasarGuard, Marzneshin); JSON bodies get 422 there. */
export function formTokenLogin(path: string, conn: NodeConnection): PanelAuth {
	return {
		async login(http) {
			const reply = await http.request<{ access_token?: unknown }>('POST', path, {
				form: { grant_type: 'password', username: conn.username ?? '', password: conn.password ?? '' },
				auth: false,
			})
			if (!reply || typeof reply.access_token !== 'string') {
				throw new PanelError('bad_response', 'login reply has no access_token')
			}
			return { authorization: `Bearer ${reply.access_token}` }
		},
	}
}

/** Panels often return relative subscription URLs; the hub hands out absolute ones. */
export function absoluteUrl(url: string, conn: NodeConnection) {
	if (/^https?:\/\//i.test(url)) return url
	const base = (conn.options.publicBaseUrl || conn.baseUrl || '').replace(/\/+$/, '')
	return `${base}${url.startsWith('/') ? '' : '/'}${url}`
}

/** Panel counters arrive as JSON numbers (or null); the hub keeps bytes as bigint. */
export function toBytes(v: unknown): bigint {
	if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.max(0, Math.trunc(v)))
	if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v)
	return 0n
}

/** 0/null limits mean unlimited on every xray panel. */
export function toLimit(v: unknown): bigint | null {
	const n = toBytes(v)
	return n === 0n ? null : n
}

/** ISO datetimes, naive ones being UTC (Marzban, Marzneshin), or unix seconds; 0/null = none. */
export function parsePanelDate(v: unknown): Date | null {
	if (v === null || v === undefined || v === 0 || v === '') return null
	if (typeof v === 'number') return new Date(v * 1000)
	if (typeof v !== 'string') return null
	const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(v)
	const d = new Date(zoned ? v : `${v.replace(' ', 'T')}Z`)
	return Number.isNaN(d.getTime()) ? null : d
}

/** Safe JSON numbers for byte counts; anything past 2^53 is a caller bug, not a panel value. */
export function bytesToJson(v: bigint | null): number {
	if (v === null) return 0
	if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new PanelError('rejected', 'data limit too large')
	return Number(v)
}

/**
 * Marzban and its fork PasarGuard answer a connection test the same way: the current admin, then
 * /api/system with the version. Latency is the system call's round trip (after login).
 */
export async function fastApiPanelInfo(http: PanelHttp) {
	http.clearAuth()
	const admin = await http.request<{ username?: string; is_sudo?: boolean }>('GET', '/api/admin')
	const started = performance.now()
	const system = await http.request<Record<string, unknown>>('GET', '/api/system')
	const latencyMs = Math.round(performance.now() - started)
	if (!system || typeof system.version !== 'string') throw new PanelError('bad_response', 'no version in /api/system')
	return { admin, system, version: system.version, latencyMs }
}
