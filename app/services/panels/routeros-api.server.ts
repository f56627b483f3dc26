// RouterOS binary API transport (panel-contracts.md §6.2) over node-routeros 1.6.9, which is
// unmaintained and needs these things from us:
// - its port defaults to 8728 even with TLS, so the port is always passed;
// - it has no `!empty` (RouterOS ≥ 7.18, print with no rows) and throws UNKNOWNREPLY from inside
//   the socket's data handler — an uncaught exception that would kill the worker. We wrap the
//   connector's tag reader to drop `!empty` (the `!done` after it settles the command) and to
//   turn any other unknown reply into a trap, and guard the receiver so a parser throw only
//   breaks this connection;
// - a command whose connection dies never settles, so every command carries our own timer and
//   is failed when its connection is lost;
// - it emits 'error' on the API object and on its connector after removing the connector's
//   listeners; both must be caught or Node throws out of a socket handler.
import { getSystemErrorName } from 'node:util'
import { RouterOSAPI } from 'node-routeros'
import { PanelError } from './errors'
import { createRouterOsAdapter, isDuplicateMessage, type RosRow, type RosTransport } from './routeros-common'
import type { NodeConnection, PanelAdapter } from './types'

const KNOWN_REPLIES = new Set(['!re', '!done', '!trap', '!fatal'])
const RETRY_DELAYS_MS = [100, 300]

interface ConnectorInternals {
	read(tag: string, callback: (packet: string[]) => void): void
	receiver: { processRawData(data: Buffer): void }
	socket: NodeJS.EventEmitter & { setNoDelay?(noDelay: boolean): unknown }
	emit(event: string | symbol, ...args: unknown[]): boolean
	listenerCount(event: string | symbol): number
	destroy(): void
}

interface Session {
	api: RouterOSAPI
	/** Rejecters of the commands in flight on this connection. */
	pending: Set<(e: PanelError) => void>
	dead: boolean
	/** node-routeros wraps socket errors in a RosException that drops the code (TLS ones). */
	socketError?: unknown
}

/**
 * Drops `!empty` and defuses unknown replies before node-routeros's Channel sees them, and keeps
 * the connector's own failures inside this connection (see the file comment).
 */
export function hardenConnector(connector: ConnectorInternals, onBroken: (e: unknown) => void) {
	const read = connector.read.bind(connector)
	connector.read = (tag, callback) =>
		read(tag, (packet) => {
			const words = packet[0] === '!empty' ? packet.slice(1) : packet
			if (words.length === 0) return
			if (!KNOWN_REPLIES.has(words[0])) return callback(['!trap', `=message=unknown reply ${words[0]}`])
			callback(words)
		})
	// The connector drops all its listeners on the first failure, yet a socket can still report a
	// second one (a TLS socket: 'end', then "disconnected before secure connection"); an 'error'
	// emitted with no listener throws out of the socket handler.
	const emit = connector.emit.bind(connector)
	connector.emit = (event, ...args) => {
		if (event === 'error' && connector.listenerCount('error') === 0) {
			onBroken(args[0])
			return false
		}
		return emit(event, ...args)
	}
	const processRawData = connector.receiver.processRawData.bind(connector.receiver)
	connector.receiver.processRawData = (data) => {
		try {
			processRawData(data)
		} catch (e) {
			onBroken(e)
		}
	}
}

export function mapRosError(e: unknown): PanelError {
	if (e instanceof PanelError) return e
	const err = e as { errno?: unknown; code?: unknown; message?: unknown } | null
	const errno = err?.errno
	if (errno === 'CANTLOGIN') return new PanelError('auth_failed', 'invalid user name or password')
	if (errno === 'SOCKTMOUT') return new PanelError('timeout', 'no reply in time')
	const sys = typeof errno === 'number' ? safeErrorName(errno) : typeof err?.code === 'string' ? err.code : undefined
	if (sys === 'ECONNREFUSED') return new PanelError('unreachable', 'connection refused')
	if (sys === 'ENOTFOUND' || sys === 'EAI_AGAIN') return new PanelError('unreachable', 'host not found')
	if (sys === 'ETIMEDOUT') return new PanelError('timeout', 'no reply in time')
	if (sys && /CERT|SSL|TLS|SELF_SIGNED/.test(sys)) return new PanelError('unreachable', `TLS error (${sys})`)
	if (sys) return new PanelError('unreachable', sys === 'ECONNRESET' || sys === 'EPIPE' ? 'connection reset' : `network error (${sys})`)
	const message = typeof err?.message === 'string' ? err.message : String(e)
	// What is left is a `!trap` message from the router.
	if (/no such item/i.test(message)) return new PanelError('not_found', message)
	if (isDuplicateMessage(message)) return new PanelError('conflict', message)
	if (/not logged in|invalid user name or password|cannot log in/i.test(message)) return new PanelError('auth_failed', message)
	return new PanelError('rejected', message || 'the router refused the command')
}

function safeErrorName(errno: number) {
	try {
		return getSystemErrorName(errno)
	} catch {
		return undefined
	}
}

/** The binary API as a RosTransport (also used by MikroTik accounting, services/routers/). */
export function createRouterOsApiTransport(conn: NodeConnection): RosTransport {
	const host = conn.host ?? (conn.baseUrl ? new URL(conn.baseUrl).hostname : undefined)
	const port = conn.port ?? (conn.tls ? 8729 : 8728)
	const timeoutMs = conn.timeoutMs ?? 10_000
	let session: Session | null = null
	let opening: Promise<Session> | null = null

	function drop(s: Session, reason: PanelError) {
		if (s.dead) return
		s.dead = true
		if (session === s) session = null
		for (const reject of s.pending) reject(reason)
		s.pending.clear()
		;(s.api as unknown as { connector?: ConnectorInternals }).connector?.destroy()
	}

	async function open(): Promise<Session> {
		if (!host) throw new PanelError('rejected', 'router host is missing')
		if (conn.proxyUrl) throw new PanelError('rejected', 'the binary API cannot go through an HTTP proxy; use REST')
		const api = new RouterOSAPI({
			host,
			port,
			user: conn.username ?? '',
			password: conn.password ?? '',
			timeout: Math.max(1, Math.ceil(timeoutMs / 1000)),
			tls: conn.tls ? { rejectUnauthorized: conn.verifyTls } : undefined,
		})
		const s: Session = { api, pending: new Set(), dead: false }
		const reason = (e: unknown) => mapRosError(s.socketError ?? e)
		api.on('error', (e: unknown) => drop(s, reason(e)))
		api.on('close', () => drop(s, new PanelError('unreachable', 'connection closed by the router')))
		const connecting = api.connect()
		// connect() builds the connector synchronously, before any byte can arrive.
		const connector = (api as unknown as { connector: ConnectorInternals }).connector
		hardenConnector(connector, (e) =>
			drop(s, new PanelError('bad_response', `unreadable API reply: ${String((e as Error)?.message ?? e)}`)),
		)
		connector.socket.prependOnceListener('error', (e: unknown) => (s.socketError ??= e))
		// node-routeros writes every word separately; with Nagle on, each command waits for an ACK.
		connector.socket.setNoDelay?.(true)
		// `!fatal` is the router giving up on the session (our 5xx); node-routeros only sees a close.
		connector.socket.prependListener('fatal', () => drop(s, new PanelError('server_error', 'the router closed the session (!fatal)')))
		try {
			await withTimer(connecting, timeoutMs)
		} catch (e) {
			drop(s, reason(e))
			throw reason(e)
		}
		return s
	}

	async function current(): Promise<Session> {
		if (session && !session.dead) return session
		opening ??= open().finally(() => {
			opening = null
		})
		session = await opening
		return session
	}

	async function once(words: string[]): Promise<RosRow[]> {
		const s = await current()
		return new Promise<RosRow[]>((resolve, reject) => {
			let settled = false
			const finish = (fn: () => void) => {
				if (settled) return
				settled = true
				clearTimeout(timer)
				s.pending.delete(onLost)
				fn()
			}
			const onLost = (e: PanelError) => finish(() => reject(e))
			// The reply may still come, on a connection we no longer trust: drop it.
			const timer = setTimeout(() => {
				finish(() => reject(new PanelError('timeout', 'no reply in time')))
				drop(s, new PanelError('timeout', 'connection dropped after a timeout'))
			}, timeoutMs)
			s.pending.add(onLost)
			s.api.write([...words]).then(
				(data) => finish(() => resolve(data as RosRow[])),
				(e: unknown) => finish(() => reject(mapRosError(e))),
			)
		})
	}

	async function run(words: string[], retry: boolean): Promise<RosRow[]> {
		for (let attempt = 0; ; attempt++) {
			try {
				return await once(words)
			} catch (e) {
				const err = mapRosError(e)
				const transient =
					err.code === 'timeout' || err.code === 'server_error' || (err.code === 'unreachable' && err.reason !== 'connection refused')
				if (!retry || !transient || attempt >= RETRY_DELAYS_MS.length) throw err
				await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[attempt]))
			}
		}
	}

	const attrs = (props: RosRow) => Object.entries(props).map(([k, v]) => `=${k}=${v}`)

	const transport: RosTransport = {
		print(menu, filter = {}, proplist) {
			const words = [`/${menu}/print`, ...Object.entries(filter).map(([k, v]) => `?${k}=${v}`)]
			if (proplist) words.push(`=.proplist=${proplist.join(',')}`)
			return run(words, true)
		},
		async add(menu, props) {
			const [done] = await run([`/${menu}/add`, ...attrs(props)], false)
			if (!done?.ret) throw new PanelError('bad_response', 'add returned no .id')
			return done.ret
		},
		async set(menu, id, props) {
			// Absolute values: repeating a set is harmless.
			await run([`/${menu}/set`, `=.id=${id}`, ...attrs(props)], true)
		},
		async remove(menu, id) {
			await run([`/${menu}/remove`, `=.id=${id}`], false)
		},
		async close() {
			const s = session
			if (s) drop(s, new PanelError('unreachable', 'adapter closed'))
		},
	}
	return transport
}

export function createRouterOsApiAdapter(conn: NodeConnection): PanelAdapter {
	return createRouterOsAdapter(conn, createRouterOsApiTransport(conn))
}

function withTimer<T>(promise: Promise<T>, ms: number): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const timer = setTimeout(() => reject(new PanelError('timeout', 'no reply in time')), ms)
		promise.then(
			(v) => {
				clearTimeout(timer)
				resolve(v)
			},
			(e: unknown) => {
				clearTimeout(timer)
				reject(e)
			},
		)
	})
}
