// A form POSTed from another site (Origin ≠ Host). Remix's own check throws a plain Error for it,
// which its request handler answers as a 500; server/cross-site.ts answers a translated 403 first.
// Through a real Express server on a real socket with Remix's real request handler (a one-route
// build: the check runs before any route code, so the app's build is not needed here; the e2e
// spec e2e/cross-site.spec.ts does the same against the production server).
import type { ServerBuild } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { isCrossSite, refuseCrossSite } from '../../server/cross-site'
import { fixtureBuild, listenRemix } from '../remix-fixture'

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { throwIfPotentialCSRFAttack } = require('@remix-run/server-runtime/dist/actions.js') as { throwIfPotentialCSRFAttack(h: Headers): void }

const HEADER_CASES: Array<Record<string, string>> = [
	{},
	{ host: 'hub.example' },
	{ origin: 'https://hub.example', host: 'hub.example' },
	{ origin: 'https://evil.example', host: 'hub.example' },
	{ origin: 'http://hub.example:8080', host: 'hub.example' },
	{ origin: 'http://hub.example:8080', host: 'hub.example:8080' },
	{ origin: 'null', host: 'hub.example' },
	{ origin: 'https://hub.example', host: 'internal:3000', 'x-forwarded-host': 'hub.example' },
	{ origin: 'https://hub.example', host: 'internal:3000', 'x-forwarded-host': 'hub.example, proxy.local' },
	{ origin: 'https://hub.example', host: 'hub.example', 'x-forwarded-host': 'evil.example' },
	{ origin: 'https://evil.example' },
]

describe('isCrossSite agrees with Remix', () => {
	test.each(HEADER_CASES.map((h) => [JSON.stringify(h), h] as const))('%s', (_, h) => {
		let remixRefuses = false
		try {
			throwIfPotentialCSRFAttack(new Headers(h))
		} catch {
			remixRefuses = true
		}
		expect(isCrossSite((name) => h[name])).toBe(remixRefuses)
	})

	test('an Origin Remix cannot parse (it would throw a TypeError, a 500 too) is refused', () => {
		expect(() => throwIfPotentialCSRFAttack(new Headers({ origin: 'not a url', host: 'hub.example' }))).toThrow()
		expect(isCrossSite((name) => ({ origin: 'not a url', host: 'hub.example' })[name])).toBe(true)
	})
})

let actionRuns = 0
/** The smallest build Remix's handler accepts: one root route whose action counts its runs. */
function oneRouteBuild(): ServerBuild {
	const module = {
		action: async () => {
			actionRuns++
			return null
		},
		loader: async () => null,
		default: () => null,
	}
	return fixtureBuild({ root: { path: '', module } })
}

const listen = (withMiddleware: boolean) => listenRemix(oneRouteBuild(), withMiddleware ? refuseCrossSite : undefined)

const post = (url: string, headers: Record<string, string>) =>
	fetch(`${url}/?index`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body: 'intent=x', redirect: 'manual' })

describe('a cross-site POST through Express + Remix', () => {
	let plain: Awaited<ReturnType<typeof listen>>
	let guarded: Awaited<ReturnType<typeof listen>>
	const quiet = console.error
	beforeAll(async () => {
		console.error = () => {} // Remix logs the CSRF Error it turns into a 500 (the case we prove)
		plain = await listen(false)
		guarded = await listen(true)
	})
	afterAll(async () => {
		console.error = quiet
		await Promise.all([plain, guarded].map(({ server }) => new Promise((r) => server.close(r))))
	})

	test('without the middleware Remix answers 500 (why it exists)', async () => {
		expect((await post(plain.url, { Origin: 'https://evil.example' })).status).toBe(500)
	})

	test('with it: 403 with a translated message, in the visitor language', async () => {
		const runs = actionRuns
		const en = await post(guarded.url, { Origin: 'https://evil.example' })
		expect(en.status).toBe(403)
		expect(await en.text()).toBe('This form was sent from another site and was refused.')
		const fa = await post(guarded.url, { Origin: 'https://evil.example', 'Accept-Language': 'fa-IR,fa;q=0.9' })
		expect(fa.status).toBe(403)
		expect(await fa.text()).toBe('این فرم از سایت دیگری فرستاده شده بود و پذیرفته نشد.')
		expect((await post(guarded.url, { Origin: 'null' })).status).toBe(403)
		expect((await post(guarded.url, { Origin: 'not a url' })).status).toBe(403)
		expect(actionRuns).toBe(runs) // refused before any action ran
	})

	test('same-site POSTs and cross-site GETs still reach the app', async () => {
		const runs = actionRuns
		expect((await post(guarded.url, { Origin: guarded.url })).status).toBe(200)
		expect((await post(guarded.url, {})).status).toBe(200) // no Origin (curl, old browsers): Remix lets it through too
		expect(actionRuns).toBe(runs + 2)
		expect((await fetch(`${guarded.url}/`, { headers: { Origin: 'https://evil.example' } })).status).not.toBe(403)
	})
})
