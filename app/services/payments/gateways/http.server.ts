// The one HTTP client the gateways go through: a per-gateway undici Agent, a hard timeout that
// covers a stalled body too, and every transport failure mapped to a GatewayError. Unlike the panel
// client it does not throw on 4xx: Zarinpal puts its answer (errors.code) in 4xx JSON bodies, so
// each provider reads the body itself. It never retries: a repeated request.json makes a second
// authority, and a verify retry is the caller's decision (verify is idempotent at the gateway).
import { Agent, fetch as undiciFetch } from 'undici'
import { mapNetworkError } from '../../panels/http.server'
import { GatewayError } from './types'

export const GATEWAY_TIMEOUT_MS = 15_000

export interface GatewayHttpOptions {
	baseUrl: string
	timeoutMs?: number
	headers?: Record<string, string>
}

export interface GatewayReply<T = unknown> {
	status: number
	/** Parsed JSON, or null for an empty body. */
	data: T | null
}

export interface GatewayHttp {
	readonly baseUrl: string
	request<T = unknown>(
		method: 'GET' | 'POST',
		path: string,
		opts?: { json?: unknown; query?: Record<string, string | undefined>; headers?: Record<string, string> },
	): Promise<GatewayReply<T>>
	close(): Promise<void>
}

export function createGatewayHttp(opts: GatewayHttpOptions): GatewayHttp {
	if (!opts.baseUrl) throw new GatewayError('rejected', 'base URL is missing')
	const baseUrl = opts.baseUrl.replace(/\/+$/, '')
	const timeoutMs = opts.timeoutMs ?? GATEWAY_TIMEOUT_MS
	const dispatcher = new Agent({ connect: { timeout: timeoutMs }, keepAliveTimeout: 30_000 })

	return {
		baseUrl,
		async request<T>(method: 'GET' | 'POST', path: string, o: Parameters<GatewayHttp['request']>[2] = {}) {
			const url = new URL(baseUrl + path)
			for (const [k, v] of Object.entries(o.query ?? {})) if (v !== undefined) url.searchParams.set(k, v)
			const headers: Record<string, string> = { accept: 'application/json', ...opts.headers, ...o.headers }
			let body: string | undefined
			if (o.json !== undefined) {
				headers['content-type'] = 'application/json'
				body = JSON.stringify(o.json)
			}
			let status: number
			let text: string
			try {
				const res = await undiciFetch(url, { method, headers, body, dispatcher, signal: AbortSignal.timeout(timeoutMs) })
				status = res.status
				text = await res.text()
			} catch (e) {
				// Reuse the panel client's cause-chain reading; its codes are a subset of ours.
				const mapped = mapNetworkError(e)
				throw new GatewayError(mapped.code === 'timeout' ? 'timeout' : 'unreachable', mapped.reason)
			}
			if (status >= 500) throw new GatewayError('server_error', `HTTP ${status}`, status)
			if (text.trim() === '') return { status, data: null }
			try {
				return { status, data: JSON.parse(text) as T }
			} catch {
				throw new GatewayError('bad_response', `HTTP ${status} with a non-JSON body`, status)
			}
		},
		async close() {
			await dispatcher.close().catch(() => undefined)
		},
	}
}
