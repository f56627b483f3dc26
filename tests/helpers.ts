// Calling loaders and actions the way Remix does: with real Requests.

export const BASE = 'http://localhost'

/**
 * The load context server/index.ts gives every loader and action: the client's address comes from
 * the socket (X-Forwarded-For is only believed behind a configured proxy), so tests pass it here.
 */
export function contextFor(ip = '203.0.113.7') {
	return { clientIp: ip, requestId: `test-${ip}`, cspNonce: 'test-nonce' }
}

export function formRequest(path: string, fields: Record<string, string>, init: { cookie?: string; ip?: string } = {}) {
	const headers = new Headers({ 'Content-Type': 'application/x-www-form-urlencoded' })
	if (init.cookie) headers.set('Cookie', init.cookie)
	headers.set('X-Forwarded-For', init.ip ?? '203.0.113.7')
	return new Request(`${BASE}${path}`, { method: 'POST', headers, body: new URLSearchParams(fields) })
}

export function getRequest(path: string, cookie?: string) {
	return new Request(`${BASE}${path}`, { headers: cookie ? { Cookie: cookie } : {} })
}

/** The `name=value` parts of a response's Set-Cookie headers, ready for a Cookie header. */
export function cookiesFrom(response: Response) {
	return response.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ')
}

/** Loaders/actions throw redirects and error responses; return them instead. */
export async function settle<T>(fn: () => Promise<T>): Promise<T | Response> {
	try {
		return await fn()
	} catch (e) {
		if (e instanceof Response) return e
		throw e
	}
}
