// A form POSTed from another site. Remix refuses it itself — server-runtime's
// throwIfPotentialCSRFAttack (dist/actions.js, called by handleDocumentRequest and
// singleFetchAction) throws when the Origin's host is not X-Forwarded-Host (first value) or Host —
// but it throws a plain Error, which Remix answers as a 500 and logs as a crash. This middleware
// makes the same decision first and answers a translated 403. `isCrossSite` mirrors Remix's check
// exactly, plus an Origin that does not parse (Remix's `new URL()` would throw: another 500).
import type { RequestHandler } from 'express'
import { getT } from '~/utils/i18n.server'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

type HeaderGet = (name: string) => string | null | undefined

/** Would Remix abort this mutation as a cross-site request? */
export function isCrossSite(header: HeaderGet) {
	const origin = header('origin')
	if (!origin) return false
	let originHost: string
	if (origin === 'null') originHost = 'null' // an opaque origin (sandboxed frame, file:) never matches
	else {
		try {
			originHost = new URL(origin).host
		} catch {
			return true
		}
	}
	const forwarded = header('x-forwarded-host')?.split(',')[0]?.trim()
	const host = forwarded || header('host')
	return !host || originHost !== host
}

/**
 * Gateway notifications (/pay/ipn/*) are server-to-server POSTs authenticated by their signature,
 * not by cookies, so their Origin proves nothing; they are resource routes, which Remix itself
 * never checks either.
 */
const SIGNED_WEBHOOK = /^\/pay\/ipn\//

export const refuseCrossSite: RequestHandler = (req, res, next) => {
	if (SAFE_METHODS.has(req.method) || SIGNED_WEBHOOK.test(req.path) || !isCrossSite((name) => req.get(name))) return next()
	// the language comes from the same cookie / Accept-Language the pages use
	const asked = new Request('http://localhost/', { headers: { cookie: req.get('cookie') ?? '', 'accept-language': req.get('accept-language') ?? '' } })
	getT(asked)
		.then((t) => res.status(403).type('text/plain; charset=utf-8').set('Cache-Control', 'no-store').send(t('errors.crossSite')))
		.catch(next)
}
