// The Bot API client: grammy's Api with `apiRoot` (a local Bot API server, or the simulator in
// tests and the demo) and an optional HTTP proxy for filtered networks. grammy fetches with
// node-fetch, whose proxy support needs an extra package (https-proxy-agent); instead it is given
// undici's fetch (already a dependency of the panel client) with a ProxyAgent dispatcher — one
// code path with and without a proxy. grammy's multipart bodies are Node streams, which undici
// accepts with duplex 'half' (grammy's own baseFetchConfig sets it).
import { Api, GrammyError, HttpError } from 'grammy'
import { Agent, ProxyAgent, fetch as undiciFetch, type Dispatcher } from 'undici'
import type { TelegramSettings } from './settings.server'

export const DEFAULT_API_ROOT = 'https://api.telegram.org'

const dispatchers = new Map<string, Dispatcher>()
function dispatcherFor(proxyUrl: string | null) {
	const key = proxyUrl ?? ''
	let d = dispatchers.get(key)
	if (!d) {
		d = proxyUrl ? new ProxyAgent({ uri: proxyUrl }) : new Agent({ keepAliveTimeout: 30_000 })
		dispatchers.set(key, d)
	}
	return d
}

export function botApi(s: Pick<TelegramSettings, 'token' | 'apiRoot' | 'proxyUrl'> & { token: string }, timeoutSeconds = 30) {
	const dispatcher = dispatcherFor(s.proxyUrl)
	const fetchThrough = ((url: string, init: Record<string, unknown>) => undiciFetch(url, { ...init, dispatcher } as Parameters<typeof undiciFetch>[1])) as unknown
	return new Api(s.token, {
		apiRoot: (s.apiRoot || DEFAULT_API_ROOT).replace(/\/+$/, ''),
		timeoutSeconds,
		fetch: fetchThrough as NonNullable<ConstructorParameters<typeof Api>[1]>['fetch'],
	})
}

/** What a failed call means for a delivery. */
export type SendFailure =
	| { kind: 'flood'; retryAfterSec: number }
	| { kind: 'blocked'; description: string }
	| { kind: 'permanent'; description: string }
	| { kind: 'transient'; description: string }

export function classify(e: unknown): SendFailure {
	if (e instanceof GrammyError) {
		if (e.error_code === 429) return { kind: 'flood', retryAfterSec: Math.max(1, Number(e.parameters?.retry_after ?? 1)) }
		// 403: "bot was blocked by the user", "user is deactivated", "bot was kicked…": this chat is gone for us.
		if (e.error_code === 403) return { kind: 'blocked', description: e.description }
		if (e.error_code >= 500) return { kind: 'transient', description: e.description }
		return { kind: 'permanent', description: e.description }
	}
	if (e instanceof HttpError) return { kind: 'transient', description: e.message }
	return { kind: 'transient', description: e instanceof Error ? e.message : String(e) }
}
