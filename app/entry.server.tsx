import { Writable } from 'node:stream'
import type { AppLoadContext, EntryContext } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { renderToPipeableStream } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { i18nFor } from './utils/i18n-render.server'
import { getLang } from './utils/i18n.server'
import { NonceProvider } from './utils/nonce-provider'

const ABORT_DELAY = 5_000
export const streamTimeout = ABORT_DELAY

type Manifest = EntryContext['manifest']
const pageManifests = new WeakMap<Manifest, Map<string, Manifest>>()
/**
 * The build's manifest cut down to the routes this page renders: the matched chain, plus the
 * index, pathless and splat children of each route in it (what the fog-of-war manifest inlined in
 * the page takes from its parent paths). <RemixServer> rebuilds a route table from the manifest it
 * is given on every render, and React Router matches the URL against it three more times (the
 * render, and the inlined manifest's walk up the parent paths): with all ~90 routes that was
 * ~4 ms of a signed-in page's ~21 ms of CPU (issue 16 profile, decision 035). A subset of the
 * routes holding the matched branch matches the URL the same way. Any route the page links to that
 * is not inlined is fetched by the browser's route discovery (/__manifest), as for any other link.
 * Pages with errors keep the whole manifest (their boundary may sit anywhere up the tree).
 */
function manifestOfPage(context: EntryContext): Manifest {
	const { manifest, staticHandlerContext: page } = context
	if (page.errors || page.matches.length === 0) return manifest
	const leaf = page.matches[page.matches.length - 1]!.route.id
	let perLeaf = pageManifests.get(manifest)
	if (!perLeaf) pageManifests.set(manifest, (perLeaf = new Map()))
	let cut = perLeaf.get(leaf)
	if (!cut) {
		const chain = new Set(page.matches.map((m) => m.route.id))
		const routes: Manifest['routes'] = {}
		for (const [id, route] of Object.entries(manifest.routes)) {
			const inChain = chain.has(id)
			const besideChain = route.parentId !== undefined && chain.has(route.parentId) && (route.index || !route.path || route.path === '*')
			if (inChain || besideChain) routes[id] = route
		}
		perLeaf.set(leaf, (cut = { ...manifest, routes }))
	}
	return cut
}

/**
 * Gathers what React writes into one buffer and calls `done` with it once React ends the stream.
 * React writes a page as many 2 KB pieces; each one used to travel alone through the web stream,
 * Remix's copy loop (with a compression flush per piece) and a socket write — the writes alone
 * were 13 % of a signed-in page's CPU in the issue 16 profile. Piped only after onAllReady, React
 * writes the whole page within pipe() and ends, so the page goes out as one body of known length,
 * without a Node stream turned into a web stream per page (decision 035, last section).
 */
class WholePage extends Writable {
	private chunks: Buffer[] = []

	constructor(private readonly done: (page: Buffer) => void) {
		super()
	}

	override _write(chunk: Buffer, _encoding: BufferEncoding, next: (error?: Error | null) => void) {
		this.chunks.push(chunk)
		next()
	}

	override _final(next: (error?: Error | null) => void) {
		this.done(this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks))
		this.chunks = []
		next()
	}
}

export default async function handleRequest(
	request: Request,
	responseStatusCode: number,
	responseHeaders: Headers,
	remixContext: EntryContext,
	loadContext: AppLoadContext,
) {
	// server/middleware.ts put this nonce into the Content-Security-Policy header.
	const nonce = loadContext.cspNonce ?? ''
	const instance = await i18nFor(await getLang(request))
	// The whole page is rendered before its first byte is sent, for browsers as for crawlers: no
	// loader here defers data, so the shell is ready only a few microtasks before the rest (the
	// loader data that single fetch streams in script tags), and sending both at once is one write
	// instead of one per streamed piece. A route that starts deferring slow data should bring back
	// onShellReady for browsers (isbot) so its shell is not held back.

	return new Promise((resolve, reject) => {
		let shellRendered = false
		// Cleared once the whole page is written: a pending 5 s timer per page adds up under load.
		let timer: NodeJS.Timeout | undefined
		const send = () => {
			shellRendered = true
			const page = new WholePage((html) => {
				responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
				responseHeaders.set('Content-Length', String(html.byteLength))
				// nosniff, Referrer-Policy, CSP, frame-ancestors: server/middleware.ts, for every response.
				resolve(new Response(new Uint8Array(html.buffer as ArrayBuffer, html.byteOffset, html.byteLength), { headers: responseHeaders, status: responseStatusCode }))
			})
			page.on('error', reject)
			pipe(page)
		}
		const { pipe, abort } = renderToPipeableStream(
			<NonceProvider value={nonce}>
				<I18nextProvider i18n={instance}>
					<RemixServer context={{ ...remixContext, manifest: manifestOfPage(remixContext) }} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
				</I18nextProvider>
			</NonceProvider>,
			{
				nonce,
				onAllReady() {
					clearTimeout(timer)
					send()
				},
				onShellError(error: unknown) {
					clearTimeout(timer)
					reject(error)
				},
				onError(error: unknown) {
					responseStatusCode = 500
					if (shellRendered) console.error(error)
				},
			},
		)
		timer = setTimeout(abort, ABORT_DELAY)
	})
}

/** Every error Remix answers with a 500 is logged with the id the error page shows. */
export function handleError(error: unknown, { request, context }: { request: Request; context: AppLoadContext }) {
	if (request.signal.aborted) return
	console.error(`[${context.requestId ?? 'no-request-id'}] ${request.method} ${new URL(request.url).pathname}`, error)
}
