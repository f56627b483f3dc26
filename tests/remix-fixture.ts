// The smallest Remix builds its request handler accepts, served by Express on a real socket: for
// tests of what sits around Remix (middleware, the session lookup) that need Remix's real handler
// but not the app's routes.
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import express, { type RequestHandler } from 'express'

type RouteModule = { loader?: unknown; action?: unknown; default: () => null }
export type FixtureRoute = { parentId?: string; path?: string; index?: boolean; module: RouteModule }

/** A production build of these routes; the manifest says what each module exports. */
export function fixtureBuild(routes: Record<string, FixtureRoute>): ServerBuild {
	const serverRoutes = Object.fromEntries(Object.entries(routes).map(([id, r]) => [id, { id, ...r }]))
	const manifest = Object.fromEntries(
		Object.entries(routes).map(([id, r]) => [
			id,
			{ id, parentId: r.parentId, path: r.path, index: r.index, module: `/${id}.js`, hasAction: !!r.module.action, hasLoader: !!r.module.loader, hasClientAction: false, hasClientLoader: false, hasErrorBoundary: false },
		]),
	)
	return {
		mode: 'production',
		entry: { module: { default: async () => new Response('<html></html>', { headers: { 'Content-Type': 'text/html' } }) } },
		routes: serverRoutes,
		assets: { entry: { module: '/e.js', imports: [] }, routes: manifest, url: '/m.js', version: '1' },
		assetsBuildDirectory: '/tmp',
		publicPath: '/',
		future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_lazyRouteDiscovery: true, v3_singleFetch: true, v3_routeConfig: true },
		isSpaMode: false,
		basename: undefined,
	} as unknown as ServerBuild
}

/** Express with `middleware` (if any) in front of Remix's handler for `build`, on a free port. */
export async function listenRemix(build: ServerBuild, middleware?: RequestHandler): Promise<{ server: Server; url: string }> {
	const app = express()
	if (middleware) app.use(middleware)
	app.all('*', createRequestHandler({ build }))
	const server = await new Promise<Server>((resolve) => {
		const s = app.listen(0, '127.0.0.1', () => resolve(s))
	})
	return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}
