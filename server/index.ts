// The HTTP server (Express + Remix) and, unless WORKER_IN_PROCESS=false, the worker in the same
// process. SIGTERM/SIGINT stop both: stop accepting requests, let the worker finish its jobs,
// close the database pool.
import type { Server } from 'node:http'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import { env } from '~/utils/env.server'
import { locals, requestContext, securityHeaders, subscriptionFastPath } from './middleware'
import { sectionedHandlers } from './route-sections'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export interface RunningServer {
	url: string
	server: Server
	stop(): Promise<void>
}

export async function startServer({ port = env().PORT, host = env().HOST, worker = env().WORKER_IN_PROCESS } = {}): Promise<RunningServer> {
	const production = env().NODE_ENV === 'production' || env().NODE_ENV === 'test'
	const app = express()
	app.disable('x-powered-by')
	// Express's own view of proxies (req.protocol, req.ip) follows TRUST_PROXY too.
	const trust = env().TRUST_PROXY
	app.set('trust proxy', trust === 'fly' ? 1 : trust)
	app.use(requestContext(trust))
	app.use(securityHeaders({ production: env().NODE_ENV === 'production' }))
	app.get('/sub/:token', subscriptionFastPath)
	app.use((await import('./cross-site')).refuseCrossSite) // a cross-site POST: 403, not Remix's 500
	app.use(compression())

	// Production hands Remix the module itself, not a function returning it: given a function,
	// Remix re-derives its route tables (all ~90 routes) and a new static handler from the build on
	// every request — server-runtime's derive(), meant for dev reloads (issue 16 profile).
	let build: ServerBuild | (() => Promise<ServerBuild>)
	if (production) {
		const buildPath = path.join(root, 'build/server/index.js')
		app.use('/assets', express.static(path.join(root, 'build/client/assets'), { immutable: true, maxAge: '1y' }))
		// Every file there has an extension (favicon.ico, robots.txt, site.webmanifest …): a page's
		// path goes straight to Remix instead of costing a failed fs.stat first (issue 16 profile).
		const files = express.static(path.join(root, 'build/client'), { maxAge: '1h' })
		app.use((req, res, next) => (path.extname(req.path) ? files(req, res, next) : next()))
		build = (await import(buildPath)) as ServerBuild
	} else {
		const vite = await import('vite').then((v) => v.createServer({ root, server: { middlewareMode: true } }))
		app.use(vite.middlewares)
		build = () => vite.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>
	}
	const getLoadContext = (_req: express.Request, res: express.Response) => ({ ...locals(res) })
	if (typeof build === 'function') app.all('*', createRequestHandler({ build, getLoadContext }))
	else {
		// One Remix handler per top-level section, each matching over its own routes (decision 036).
		const handlerFor = sectionedHandlers(build, (b) => createRequestHandler({ build: b, getLoadContext }))
		// Parsed as @remix-run/express does (origin + originalUrl), so the path is the one Remix
		// matches; the origin plays no part in it. A request target that is not a path (`*`, an
		// absolute URL) goes to the whole build.
		const sectionHandler = (req: express.Request) => handlerFor(req.originalUrl.startsWith('/') ? new URL(`http://localhost${req.originalUrl}`) : null)
		app.all('*', (req, res, next) => sectionHandler(req)(req, res, next))
	}
	// Errors outside Remix (the raw /sub path, static files): logged with the request id the
	// client sees, never a stack trace in the answer.
	app.use((error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
		if (res.headersSent) return next(error)
		console.error(`[${locals(res).requestId}]`, error)
		res.status(500).type('text/plain').send(`Internal Server Error (request id ${locals(res).requestId})`)
	})

	const server = await new Promise<Server>((resolve) => {
		const s = app.listen(port, host, () => resolve(s))
	})
	server.keepAliveTimeout = 65_000

	const { startWorker } = await import('../worker/runner')
	const workerHandle = worker ? await startWorker() : null
	const address = server.address()
	const actualPort = typeof address === 'object' && address ? address.port : port
	return {
		url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${actualPort}`,
		server,
		async stop() {
			const closed = new Promise<void>((resolve) => server.close(() => resolve()))
			server.closeIdleConnections()
			await closed
			await workerHandle?.stop()
		},
	}
}
