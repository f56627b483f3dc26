// The production server answers each request with the Remix handler of its path's first segment,
// built from only the routes that could match it (server/route-sections.ts, decision 036). Every
// route of the real build, at a sample URL, and the paths around it (single-fetch `.data`, other
// case, trailing slash, unknown children, unknown sections, Remix's own paths) must match the same
// route chain as over the whole tree, and answer the same through Remix.
import path from 'node:path'
import { createRequestHandler, type ServerBuild } from '@remix-run/node'
import { matchRoutes, type AgnosticRouteObject } from '@remix-run/router'
import { describe, expect, test } from 'vitest'
import { requestSection, sectionedHandlers, sectionRoutes } from '../../server/route-sections'
import { ensureBuild } from '../scale/processes'

process.env.NODE_ENV = 'production'
process.env.PUBLIC_URL ??= 'https://hub.example.com/'
process.env.SESSION_SECRET ??= 'p'.repeat(40)
process.env.MASTER_KEY ??= Buffer.alloc(32, 3).toString('base64')

ensureBuild()
const build = (await import(path.resolve('build/server/index.js'))) as ServerBuild

/** The nested route objects server-runtime's createRoutes makes from a build's flat table. */
function tree(routes: ServerBuild['routes'], parentId?: string): AgnosticRouteObject[] {
	return Object.values(routes)
		.filter((r) => r!.parentId === parentId)
		.map((r) => ({ id: r!.id, path: r!.path, index: r!.index, caseSensitive: r!.caseSensitive, children: r!.index ? undefined : tree(routes, r!.id) }) as AgnosticRouteObject)
}
const whole = tree(build.routes)
const chain = (routes: AgnosticRouteObject[], pathname: string) => matchRoutes(routes, pathname)?.map((m) => m.route.id) ?? null

/** The route's URL with each `:param` filled in and a splat of two segments. */
function sampleUrl(id: string): string {
	const parts: string[] = []
	for (let r: ServerBuild['routes'][string] | undefined = build.routes[id]; r; r = r.parentId ? build.routes[r.parentId] : undefined) {
		if (r.path) parts.unshift(r.path)
	}
	return `/${parts.join('/')}`
		.split('/')
		.map((s) => (s.startsWith(':') ? '7' : s === '*' ? 'a/b' : s))
		.join('/')
}

const samples = [...new Set(Object.keys(build.routes).map(sampleUrl))]
const variants = (p: string) => [p, `${p}/`, p.toUpperCase(), `${p}/unknown`, `${p}/unknown/deeper`, p === '/' ? '/_root.data' : `${p}.data`]
const paths = [...samples.flatMap(variants), '/', '/nope', '/nope/x', '/NOPE.data', '/__manifest', '/_root.data', '/a%64min/users', '//admin', '/admin.', '/admin.xlsx', '/reseller-x', '/sub']

describe('a section handler matches as the whole route tree does', () => {
	test('the samples cover every route of the build', () => {
		const reached = new Set(samples.flatMap((p) => chain(whole, p) ?? []))
		expect(Object.keys(build.routes).filter((id) => !reached.has(id))).toEqual([])
	})

	test.each(paths)('%s', (pathname) => {
		const url = new URL(`http://hub.test${pathname}`)
		const section = requestSection(url)
		if (section === null) return // the whole build answers it
		const subset = tree(sectionRoutes(build.routes, section))
		// Remix matches the raw path, and for single fetch the page's path too.
		expect(chain(subset, url.pathname)).toEqual(chain(whole, url.pathname))
		const page = url.pathname.replace(/\.data$/, '').replace(/^\/_root$/, '/')
		expect(chain(subset, page)).toEqual(chain(whole, page))
	})

	test('paths Remix must decode, its route discovery and ?_data requests go to the whole build', () => {
		for (const p of ['/__manifest?paths=/admin', '/a%64min', '//admin', '/admin.', '/admin?_data=root']) expect(requestSection(new URL(`http://hub.test${p}`))).toBeNull()
	})

	test('a section holds a fraction of the routes', () => {
		expect(Object.keys(sectionRoutes(build.routes, 'reseller')).length).toBeLessThan(Object.keys(build.routes).length / 3)
	})
})

describe('answers through Remix', () => {
	const full = createRequestHandler(build, 'production')
	const handlerFor = sectionedHandlers(build, (b) => createRequestHandler(b, 'production'))
	// Signed-out requests: each page's loader answers without a session (a redirect to /login, a
	// public page, a 404), so both sides see the same database state.
	const asked = ['/', '/login', '/admin', '/admin/nodes/7', '/reseller/customers', '/reseller/nope', '/account/invoices/7/pdf', '/nope', '/login.data', '/admin.data', '/_root.data', '/resources/healthcheck', '/sub/nope-token', '/__manifest?p=%2Fadmin&version=x']
	test.each(asked)('%s', async (p) => {
		const ask = () => new Request(`http://hub.test${p}`, { headers: { accept: 'text/html' } })
		const [a, b] = await Promise.all([full(ask(), {}), handlerFor(new URL(`http://hub.test${p}`))(ask(), {})])
		// a real answer, not the same crash twice (the health check says 503 while no worker beats)
		expect(a.status).toBeLessThan(p === '/resources/healthcheck' ? 504 : 500)
		expect(b.status).toBe(a.status)
		expect(b.headers.get('location')).toBe(a.headers.get('location'))
		expect(b.headers.get('content-type')).toBe(a.headers.get('content-type'))
		expect(await b.text()).toBe(await a.text())
	})
})
