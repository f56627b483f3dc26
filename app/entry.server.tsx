import { Transform, type TransformCallback } from 'node:stream'
import { createReadableStreamFromReadable, type AppLoadContext, type EntryContext } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { createInstance, type i18n } from 'i18next'
import { renderToPipeableStream } from 'react-dom/server'
import { I18nextProvider, initReactI18next } from 'react-i18next'
import { i18nOptions, type Lang } from './utils/i18n'
import { getLang } from './utils/i18n.server'
import { NonceProvider } from './utils/nonce-provider'

const ABORT_DELAY = 5_000
export const streamTimeout = ABORT_DELAY

// One i18next instance per language for the process, not one per request: creating and
// initialising an instance cost ~2–5 ms of CPU for every rendered page (issue 16 "find where the
// time goes"). Sharing is safe because nothing on the server changes an instance's language
// (root.tsx switches it in an effect, which runs only in the browser) and the resources are static.
const instances = new Map<Lang, Promise<i18n>>()
function i18nFor(lang: Lang) {
	let instance = instances.get(lang)
	if (!instance) {
		const created = createInstance()
		instances.set(lang, (instance = created.use(initReactI18next).init({ ...i18nOptions, lng: lang }).then(() => created)))
	}
	return instance
}

/**
 * React writes a page as many 2 KB pieces; each one used to travel alone through the web stream,
 * Remix's copy loop (with a compression flush per piece) and a socket write — the writes alone
 * were 13 % of a signed-in page's CPU in the issue 16 profile. This gathers what React writes in
 * one turn of the event loop into one chunk (a whole page, below); anything written later still
 * goes out as soon as it is written.
 */
class CoalescePerTurn extends Transform {
	private chunks: Buffer[] = []
	private scheduled = false

	override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
		this.chunks.push(chunk)
		if (!this.scheduled) {
			this.scheduled = true
			setImmediate(() => this.pushGathered())
		}
		done()
	}

	override _flush(done: TransformCallback) {
		this.pushGathered()
		done()
	}

	private pushGathered() {
		this.scheduled = false
		if (!this.chunks.length) return
		this.push(this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks))
		this.chunks = []
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
			const body = new CoalescePerTurn()
			responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
			// nosniff, Referrer-Policy, CSP, frame-ancestors: server/middleware.ts, for every response.
			resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }))
			pipe(body)
		}
		const { pipe, abort } = renderToPipeableStream(
			<NonceProvider value={nonce}>
				<I18nextProvider i18n={instance}>
					<RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
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
