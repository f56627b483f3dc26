import { PassThrough } from 'node:stream'
import { createReadableStreamFromReadable, type AppLoadContext, type EntryContext } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { createInstance, type i18n } from 'i18next'
import { isbot } from 'isbot'
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
	const readyEvent = isbot(request.headers.get('user-agent') ?? '') ? 'onAllReady' : 'onShellReady'

	return new Promise((resolve, reject) => {
		let shellRendered = false
		const { pipe, abort } = renderToPipeableStream(
			<NonceProvider value={nonce}>
				<I18nextProvider i18n={instance}>
					<RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
				</I18nextProvider>
			</NonceProvider>,
			{
				nonce,
				[readyEvent]() {
					shellRendered = true
					const body = new PassThrough()
					responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
					// nosniff, Referrer-Policy, CSP, frame-ancestors: server/middleware.ts, for every response.
					resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }))
					pipe(body)
				},
				onShellError(error: unknown) {
					reject(error)
				},
				onError(error: unknown) {
					responseStatusCode = 500
					if (shellRendered) console.error(error)
				},
			},
		)
		setTimeout(abort, ABORT_DELAY)
	})
}

/** Every error Remix answers with a 500 is logged with the id the error page shows. */
export function handleError(error: unknown, { request, context }: { request: Request; context: AppLoadContext }) {
	if (request.signal.aborted) return
	console.error(`[${context.requestId ?? 'no-request-id'}] ${request.method} ${new URL(request.url).pathname}`, error)
}
