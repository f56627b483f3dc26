// Who is asking. Remix hands loaders a Request, which has no socket; server/index.ts resolves the
// client's address once per request (resolveClientAddress) and passes it, with the request id and
// the CSP nonce, through getLoadContext. Everything else reads it from the context (clientIp).
import { isIP } from 'node:net'
import type { AppLoadContext } from '@remix-run/node'

declare module '@remix-run/node' {
	interface AppLoadContext {
		/** The client's address: the socket's, or a trusted proxy's header (TRUST_PROXY). */
		clientIp?: string
		/** Random per request; in the X-Request-Id header, the logs and the 500 page. */
		requestId?: string
		/** Per-request Content-Security-Policy nonce for the inline scripts Remix emits. */
		cspNonce?: string
	}
}

/** TRUST_PROXY: off (the default), the number of proxies in front of the app, or `fly`. */
export type TrustProxy = false | number | 'fly'

/** Proxy headers are believed only when TRUST_PROXY says a proxy sets them; anyone can send them. */
export function resolveClientAddress(socketAddress: string | undefined, header: (name: string) => string | undefined, trust: TrustProxy): string {
	const socket = normalise(socketAddress) ?? 'unknown'
	if (trust === false) return socket
	if (trust === 'fly') return normalise(header('fly-client-ip')) ?? socket
	// Each proxy appends the address it received the request from, so with `trust` proxies the
	// client is the trust-th entry from the right; entries left of it are the client's own claims.
	const hops = (header('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean)
	if (!hops.length) return socket
	return normalise(hops[Math.max(0, hops.length - trust)]) ?? socket
}

function normalise(address: string | undefined) {
	if (!address) return undefined
	const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address
	return isIP(plain) ? plain : undefined
}

/** The client address of this request (from server/index.ts's load context). */
export function clientIp(context: AppLoadContext | undefined) {
	return context?.clientIp ?? 'unknown'
}

export function badRequest<T>(data: T, init?: ResponseInit) {
	return Response.json(data, { status: 400, ...init })
}
