// Shared plumbing for the panel simulators: a real node:http server with a tiny router, a fault
// injector (latency, 500s, hung requests, resets) and a control surface reachable in-process and
// over `POST /__sim/<action>`, so `npm run sim` and the bench can drive a simulator from outside.
import { createHmac, randomBytes } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export type FaultMode = 'http500' | 'timeout' | 'reset' | 'work_then_timeout'
export const FAULT_MODES: FaultMode[] = ['http500', 'timeout', 'reset', 'work_then_timeout']

export interface SimRequest {
	method: string
	path: string
	query: URLSearchParams
	headers: http.IncomingHttpHeaders
	params: Record<string, string>
	rawBody: string
	/** Parsed when the content-type is JSON; undefined if absent, `INVALID_JSON` if unparsable. */
	json: unknown
	/** Parsed when the content-type is application/x-www-form-urlencoded. */
	form: Record<string, string> | undefined
}

export const INVALID_JSON = Symbol('invalid json')

export interface SimResponse {
	status: number
	json?: unknown
	text?: string
	headers?: Record<string, string>
}

export type RouteHandler = (req: SimRequest) => SimResponse | Promise<SimResponse>

export const json = (status: number, body: unknown, headers?: Record<string, string>): SimResponse => ({
	status,
	json: body,
	headers,
})
export const detail = (status: number, message: unknown) => json(status, { detail: message })

/** Method + path-pattern router (`:name` segments). Stats are counted per pattern, not per URL. */
export class Router {
	private routes: Array<{ method: string; parts: string[]; pattern: string; handler: RouteHandler }> = []

	add(method: string, pattern: string, handler: RouteHandler) {
		this.routes.push({ method, parts: pattern.split('/').filter(Boolean), pattern, handler })
		return this
	}

	match(method: string, path: string) {
		const parts = path.split('/').filter(Boolean)
		let pathMatched = false
		for (const r of this.routes) {
			if (r.parts.length !== parts.length) continue
			const params: Record<string, string> = {}
			let ok = true
			for (let i = 0; i < parts.length && ok; i++) {
				if (r.parts[i].startsWith(':')) params[r.parts[i].slice(1)] = safeDecode(parts[i])
				else ok = r.parts[i] === parts[i]
			}
			if (!ok) continue
			pathMatched = true
			if (r.method === method || (method === 'HEAD' && r.method === 'GET')) {
				return { handler: r.handler, params, pattern: r.pattern }
			}
		}
		return pathMatched ? 'method_not_allowed' : null
	}
}

function safeDecode(s: string) {
	try {
		return decodeURIComponent(s)
	} catch {
		return s
	}
}

export interface SimStats {
	requests: number
	faults: number
	byRoute: Record<string, number>
	/** The most requests of one route being served at the same moment (two syncs of one node overlapping show here). */
	maxInFlight: Record<string, number>
}

/** A request filter: method and/or path prefix. */
export interface RequestFilter {
	method?: string
	pathPrefix?: string
}

/** What a simulator implements so SimControl can drive it; all optional except the traffic ones. */
export interface SimHooks {
	expireTokens?(): void
	reboot?(): void | Promise<void>
	addTraffic(bytes: number | Record<string, number>): void
	seed?(n: number, prefix: string): void | Promise<void>
}

interface PendingFault {
	mode: FaultMode
	method?: string
	pathPrefix?: string
}

/**
 * Fault + control surface. Transport-neutral: the HTTP server below consults it per request, and a
 * non-HTTP simulator (RouterOS binary API) can call `takeFault`/`count`/`delay` itself.
 */
export class SimControl {
	latencyMs = 0
	/** How long a "timeout" request is held before its socket is destroyed. */
	holdMs = 60_000
	private faults: PendingFault[] = []
	private counters: SimStats = { requests: 0, faults: 0, byRoute: {}, maxInFlight: {} }
	private inFlight = new Map<string, number>()
	private holds: Array<RequestFilter & { skip: number; gate: Promise<void>; arrived: () => void }> = []
	private trafficTimer: NodeJS.Timeout | null = null
	private trafficBytes = 0

	constructor(private hooks: SimHooks) {}

	setLatency(ms: number) {
		this.latencyMs = Math.max(0, ms)
	}

	/** The next n matching requests fail with `mode`; method/pathPrefix narrow which ones. */
	failNext(n: number, mode: FaultMode, filter: { method?: string; pathPrefix?: string } = {}) {
		if (!FAULT_MODES.includes(mode)) throw new Error(`unknown fault mode ${mode}`)
		for (let i = 0; i < n; i++) this.faults.push({ mode, ...filter })
	}

	clearFaults() {
		this.faults = []
	}

	takeFault(method: string, path: string): FaultMode | null {
		const i = this.faults.findIndex(
			(f) => (!f.method || f.method === method) && (!f.pathPrefix || path.startsWith(f.pathPrefix)),
		)
		if (i < 0) return null
		this.counters.faults++
		return this.faults.splice(i, 1)[0].mode
	}

	count(route: string) {
		this.counters.requests++
		this.counters.byRoute[route] = (this.counters.byRoute[route] ?? 0) + 1
	}

	async delay() {
		if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs))
	}

	/** A request of `route` starts being served; call the returned function when it is answered. */
	enter(route: string) {
		const n = (this.inFlight.get(route) ?? 0) + 1
		this.inFlight.set(route, n)
		this.counters.maxInFlight[route] = Math.max(this.counters.maxInFlight[route] ?? 0, n)
		return () => void this.inFlight.set(route, (this.inFlight.get(route) ?? 1) - 1)
	}

	/**
	 * Test seam (in-process only): the first request matching `filter` after `skip` matching ones
	 * waits before it is answered until `release()` — e.g. a usage walk stopped on its second page,
	 * after its first batch was written. `arrived` resolves once that request is waiting.
	 */
	hold(filter: RequestFilter & { skip?: number } = {}) {
		let release!: () => void
		let arrived!: () => void
		const gate = new Promise<void>((r) => (release = r))
		const reached = new Promise<void>((r) => (arrived = r))
		this.holds.push({ ...filter, skip: filter.skip ?? 0, gate, arrived })
		return { arrived: reached, release }
	}

	/** Waits at a matching hold (see hold()); every other request passes at once. */
	async passHolds(method: string, path: string) {
		const i = this.holds.findIndex((h) => (!h.method || h.method === method) && (!h.pathPrefix || path.startsWith(h.pathPrefix)) && h.skip-- <= 0)
		if (i < 0) return
		const [h] = this.holds.splice(i, 1)
		h!.arrived()
		await h!.gate
	}

	expireTokens() {
		this.hooks.expireTokens?.()
	}

	async reboot() {
		await this.hooks.reboot?.()
	}

	addTraffic(bytes: number | Record<string, number>) {
		this.hooks.addTraffic(bytes)
	}

	/** The traffic generator: every `everyMs`, `bytesPerAccount` to each account that can carry it. */
	startTraffic(everyMs: number, bytesPerAccount: number) {
		this.stopTraffic()
		this.trafficBytes = bytesPerAccount
		this.trafficTimer = setInterval(() => this.trafficTick(), everyMs)
		this.trafficTimer.unref()
	}

	/** One beat of the generator (tests call it instead of waiting). Each simulator's addTraffic
	 * gives nothing to accounts that cannot carry traffic (disabled, restricted, limited, expired). */
	trafficTick() {
		if (this.trafficBytes > 0) this.hooks.addTraffic(this.trafficBytes)
	}

	stopTraffic() {
		if (this.trafficTimer) clearInterval(this.trafficTimer)
		this.trafficTimer = null
	}

	async seed(n: number, prefix = 'seed') {
		await this.hooks.seed?.(n, prefix)
	}

	stats(): SimStats {
		return { ...this.counters, byRoute: { ...this.counters.byRoute }, maxInFlight: { ...this.counters.maxInFlight } }
	}

	resetStats() {
		this.counters = { requests: 0, faults: 0, byRoute: {}, maxInFlight: {} }
	}

	/** `POST /__sim/<action>` with a JSON body; returns the reply body or null for unknown actions. */
	async handleControl(action: string, body: Record<string, unknown>): Promise<unknown> {
		const num = (k: string, d = 0) => (typeof body[k] === 'number' ? (body[k] as number) : d)
		switch (action) {
			case 'setLatency':
				this.setLatency(num('ms'))
				return { ok: true }
			case 'failNext':
				this.failNext(num('n', 1), body.mode as FaultMode, {
					method: body.method as string | undefined,
					pathPrefix: body.pathPrefix as string | undefined,
				})
				return { ok: true }
			case 'clearFaults':
				this.clearFaults()
				return { ok: true }
			case 'expireTokens':
				this.expireTokens()
				return { ok: true }
			case 'reboot':
				await this.reboot()
				return { ok: true }
			case 'addTraffic':
				this.addTraffic((body.bytes ?? body.perAccount ?? 0) as number | Record<string, number>)
				return { ok: true }
			case 'startTraffic':
				this.startTraffic(num('ms', 1000), num('bytes'))
				return { ok: true }
			case 'stopTraffic':
				this.stopTraffic()
				return { ok: true }
			case 'seed':
				await this.seed(num('n'), (body.prefix as string) ?? 'seed')
				return { ok: true }
			case 'stats':
				return this.stats()
			case 'resetStats':
				this.resetStats()
				return { ok: true }
			default:
				return null
		}
	}
}

export interface StartedHttpSim {
	url: string
	port: number
	server: http.Server
	close(): Promise<void>
}

/**
 * Serves `router` on 127.0.0.1 with `control`'s faults applied. Unknown paths get FastAPI's
 * `404 {"detail":"Not Found"}`; a simulator can pass `notFound` to answer like its own panel.
 */
export async function startHttpSim(
	router: Router,
	control: SimControl,
	opts: { port?: number; notFound?: (req: SimRequest) => SimResponse } = {},
): Promise<StartedHttpSim> {
	const held = new Set<NodeJS.Timeout>()
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = []
		req.on('data', (c: Buffer) => chunks.push(c))
		req.on('end', () => {
			void serve(req, res, Buffer.concat(chunks).toString('utf8')).catch((e: unknown) => {
				if (!res.headersSent) send(res, json(500, { detail: 'Internal Server Error', sim: String(e) }))
			})
		})
	})

	async function serve(req: http.IncomingMessage, res: http.ServerResponse, rawBody: string) {
		const url = new URL(req.url ?? '/', 'http://sim')
		const method = (req.method ?? 'GET').toUpperCase()
		const sreq = buildRequest(req, url, method, rawBody)
		if (url.pathname.startsWith('/__sim/') && method === 'POST') {
			const body = (sreq.json && typeof sreq.json === 'object' ? sreq.json : {}) as Record<string, unknown>
			const reply = await control.handleControl(url.pathname.slice('/__sim/'.length), body)
			return send(res, reply === null ? json(404, { detail: 'unknown sim action' }) : json(200, reply))
		}
		const found = router.match(method, url.pathname)
		const route = typeof found === 'object' && found ? `${method} ${found.pattern}` : `${method} (unmatched)`
		control.count(route)
		const leave = control.enter(route)
		res.once('close', leave) // answered, or its socket closed (a hung request ends with it)
		await control.delay()
		await control.passHolds(method, url.pathname)
		const fault = control.takeFault(method, url.pathname)
		if (fault === 'reset') return req.socket.destroy()
		if (fault === 'timeout') return hold(req)
		if (fault === 'http500') return send(res, { status: 500, text: 'Internal Server Error' })
		let reply: SimResponse
		if (found === 'method_not_allowed') reply = json(405, { detail: 'Method Not Allowed' })
		else if (!found) reply = opts.notFound ? opts.notFound(sreq) : json(404, { detail: 'Not Found' })
		else reply = await found.handler({ ...sreq, params: found.params })
		// The panel did the work; only the answer is lost (the client cannot know which).
		if (fault === 'work_then_timeout') return hold(req)
		send(res, reply, method === 'HEAD')
	}

	function hold(req: http.IncomingMessage) {
		const t = setTimeout(() => {
			held.delete(t)
			req.socket.destroy()
		}, control.holdMs)
		held.add(t)
		req.socket.once('close', () => {
			clearTimeout(t)
			held.delete(t)
		})
	}

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject)
		server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
	})
	const port = (server.address() as AddressInfo).port
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		server,
		async close() {
			control.stopTraffic()
			for (const t of held) clearTimeout(t)
			held.clear()
			server.closeAllConnections()
			await new Promise<void>((r) => server.close(() => r()))
		},
	}
}

function buildRequest(req: http.IncomingMessage, url: URL, method: string, rawBody: string): SimRequest {
	const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
	let parsed: unknown = undefined
	let form: Record<string, string> | undefined
	if (type === 'application/json' && rawBody !== '') {
		try {
			parsed = JSON.parse(rawBody)
		} catch {
			parsed = INVALID_JSON
		}
	} else if (type === 'application/x-www-form-urlencoded') {
		form = Object.fromEntries(new URLSearchParams(rawBody))
	}
	return { method, path: url.pathname, query: url.searchParams, headers: req.headers, params: {}, rawBody, json: parsed, form }
}

function send(res: http.ServerResponse, r: SimResponse, headOnly = false) {
	const headers: Record<string, string> = { ...r.headers }
	let body = ''
	if (r.json !== undefined) {
		body = JSON.stringify(r.json)
		headers['content-type'] ??= 'application/json'
	} else if (r.text !== undefined) {
		body = r.text
		headers['content-type'] ??= 'text/plain; charset=utf-8'
	}
	res.writeHead(r.status, { ...headers, 'content-length': Buffer.byteLength(body) })
	res.end(headOnly || r.status === 204 ? undefined : body)
}

/**
 * JWT-shaped bearer tokens (HS256 over a per-sim secret) with `exp`, plus a generation counter so
 * `expireAll()` kills every token already issued, as a panel restart with a new secret would.
 */
export class TokenStore {
	private secret = randomBytes(16).toString('hex')

	constructor(private lifetimeSeconds = 86_400) {}

	issue(sub: string, extra: Record<string, unknown> = {}) {
		const now = Math.floor(Date.now() / 1000)
		const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))
		const payload = b64url(JSON.stringify({ sub, ...extra, iat: now, exp: now + this.lifetimeSeconds }))
		return `${header}.${payload}.${this.sign(`${header}.${payload}`)}`
	}

	/** The `sub` of a valid token, else null. */
	verify(token: string | undefined): string | null {
		if (!token) return null
		const [header, payload, sig] = token.split('.')
		if (!header || !payload || sig !== this.sign(`${header}.${payload}`)) return null
		try {
			const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub?: string; exp?: number }
			if (typeof claims.exp === 'number' && claims.exp < Date.now() / 1000) return null
			return claims.sub ?? null
		} catch {
			return null
		}
	}

	/** Reads `Authorization: Bearer <t>`. */
	fromRequest(req: SimRequest) {
		const h = req.headers.authorization
		return typeof h === 'string' && h.startsWith('Bearer ') ? this.verify(h.slice(7)) : null
	}

	expireAll() {
		this.secret = randomBytes(16).toString('hex')
	}

	private sign(data: string) {
		return createHmac('sha256', this.secret).update(data).digest('base64url')
	}
}

const b64url = (s: string) => Buffer.from(s).toString('base64url')

/** Drives a simulator running in another process through its `/__sim/` routes. */
export async function remoteControl(baseUrl: string, action: string, body: Record<string, unknown> = {}) {
	const res = await fetch(`${baseUrl.replace(/\/+$/, '')}/__sim/${action}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	})
	if (!res.ok) throw new Error(`sim control ${action} failed: ${res.status}`)
	return (await res.json()) as unknown
}

/**
 * Insertion-ordered records with O(1) lookup. Deletes only drop the key and mark the order array
 * dirty; it is compacted on the next listing, so paging 100k records stays cheap.
 */
export class OrderedStore<T> {
	private map = new Map<string, T>()
	private order: T[] = []
	private dirty = false

	constructor(private keyOf: (key: string) => string = (k) => k) {}

	get size() {
		return this.map.size
	}

	get(key: string) {
		return this.map.get(this.keyOf(key))
	}

	has(key: string) {
		return this.map.has(this.keyOf(key))
	}

	insert(key: string, record: T) {
		this.map.set(this.keyOf(key), record)
		this.order.push(record)
	}

	delete(key: string) {
		const k = this.keyOf(key)
		const existed = this.map.delete(k)
		if (existed) this.dirty = true
		return existed
	}

	/** Live records in insertion order. Do not mutate the returned array. */
	values(): readonly T[] {
		if (this.dirty) {
			const live = new Set(this.map.values())
			this.order = this.order.filter((r) => live.has(r))
			this.dirty = false
		}
		return this.order
	}
}
