// Express middleware in front of every response: Remix pages, `.data` requests, redirects,
// resource routes, static files and the raw /sub client path all pass through here, so the
// headers below hold everywhere, not only on the HTML that entry.server renders.
import { randomBytes, randomUUID } from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'
import { badFormatText, clientAnswer, formatParamOf, loadSubscription, pageUrlOf, wantsHtml } from '~/services/subscription.server'
import { recordSubMiss, subRetryAfter } from '~/services/sub-guard.server'
import { REQUEST_KEY_HEADER } from '~/utils/request-key'
import { resolveClientAddress, type TrustProxy } from '~/utils/request.server'

export interface RequestLocals {
	requestId: string
	clientIp: string
	cspNonce: string
	/** Set by the /sub fast path on the page's own `.data` request (see subscriptionFastPath). */
	subPageData?: boolean
}

export const locals = (res: Response) => res.locals as RequestLocals

/** Request id (echoed in X-Request-Id), the client's address and a fresh CSP nonce. */
export function requestContext(trust: TrustProxy) {
	return (req: Request, res: Response, next: NextFunction) => {
		const l = locals(res)
		l.requestId = randomUUID()
		l.clientIp = resolveClientAddress(req.socket.remoteAddress, (name) => req.get(name), trust)
		l.cspNonce = randomBytes(16).toString('base64')
		res.setHeader('X-Request-Id', l.requestId)
		// Lets a page's loaders share one session lookup (auth.server.ts); always ours, never the client's.
		req.headers[REQUEST_KEY_HEADER] = l.requestId
		next()
	}
}

export function contentSecurityPolicy(nonce: string, { dev }: { dev: boolean }) {
	return [
		`default-src 'self'`,
		// Only our own modules and the inline bootstrap scripts Remix renders with this nonce.
		`script-src 'self' 'nonce-${nonce}'`,
		// Radix positions popovers with style attributes; styles cannot run code.
		`style-src 'self' 'unsafe-inline'`,
		// QR codes are data: images.
		`img-src 'self' data:`,
		`font-src 'self'`,
		// Vite's HMR talks over a websocket in development.
		dev ? `connect-src 'self' ws: wss:` : `connect-src 'self'`,
		`manifest-src 'self'`,
		`object-src 'none'`,
		`base-uri 'self'`,
		`form-action 'self'`,
		`frame-ancestors 'none'`,
	].join('; ')
}

export function securityHeaders({ production }: { production: boolean }) {
	return (req: Request, res: Response, next: NextFunction) => {
		res.setHeader('Content-Security-Policy', contentSecurityPolicy(locals(res).cspNonce, { dev: !production }))
		res.setHeader('X-Content-Type-Options', 'nosniff')
		res.setHeader('Referrer-Policy', 'same-origin')
		res.setHeader('X-Frame-Options', 'DENY')
		if (production) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
		// Signed-in pages and every single-fetch payload carry personal data: never cache them.
		// (express.static sets its own Cache-Control for files, which replaces this one.)
		if (req.path.endsWith('.data') || /(?:^|;\s*)__session=/.test(req.get('cookie') ?? '')) res.setHeader('Cache-Control', 'no-store')
		next()
	}
}

/**
 * VPN clients poll /sub/{token} often: answer them before compression and Remix (one query, no
 * rendering). Browsers fall through to the Remix status page. An address that keeps asking for
 * unknown tokens is told to wait (sub-guard.server.ts) before any lookup.
 */
export async function subscriptionFastPath(req: Request, res: Response, next: NextFunction) {
	// `?format=` is an explicit ask for a client body, even from a browser (a "download" link).
	const formatParam = formatParamOf(req.query.format)
	if (wantsHtml(req.headers.accept) && formatParam === undefined) return next()
	// `/sub/<token>.data` is Remix's single-fetch request of the page itself (a language switch
	// revalidates it, with accept */*): Remix must answer it with the page's data, or the page
	// breaks with a decode error. The flag reaches the loader through the load context.
	if (String(req.params.token).endsWith('.data')) {
		locals(res).subPageData = true
		return next()
	}
	const ip = locals(res).clientIp
	const wait = subRetryAfter(ip)
	if (wait) return res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': String(wait) }).end('Too Many Requests')
	try {
		const sub = await loadSubscription(String(req.params.token))
		if (!sub) {
			recordSubMiss(ip)
			return res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found')
		}
		const answer = clientAnswer(sub, formatParam, req.get('user-agent'), pageUrlOf(String(req.params.token)))
		if (!answer) return res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(await badFormatText(req.get('accept-language')))
		res.writeHead(200, answer.headers).end(answer.body) // no ETag hashing: the body changes with usage
	} catch (e) {
		next(e)
	}
}
