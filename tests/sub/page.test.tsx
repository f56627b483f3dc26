// The browser page of /sub/{token}, rendered from its real loader: readable in dark mode, usage
// and days left, copy/QR/import for the subscription link, and a translated page (still a 404)
// for a token that does not exist.
import { createInstance } from 'i18next'
import { renderToString } from 'react-dom/server'
import { I18nextProvider, initReactI18next } from 'react-i18next'
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server'
import { beforeAll, describe, expect, test } from 'vitest'
import SubscriptionPage, { ErrorBoundary, loader } from '~/routes/sub+/$token'
import { i18nOptions, type Lang } from '~/utils/i18n'
import { contextFor } from '../helpers'
import { createSubCustomer, LINKS } from './fixtures'

let token: string
beforeAll(async () => {
	token = (await createSubCustomer({ username: 'page_user' })).token
})

async function render(path: string, lang: Lang) {
	const i18n = createInstance()
	await i18n.use(initReactI18next).init({ ...i18nOptions, lng: lang })
	const routes = [{ id: 'sub', path: '/sub/:token', loader: ({ request, params }: { request: Request; params: Record<string, string | undefined> }) => loader({ request, params, context: contextFor('198.51.100.60') }), Component: SubscriptionPage, ErrorBoundary }]
	const handler = createStaticHandler(routes)
	const ctx = await handler.query(new Request(`http://hub.test${path}`, { headers: { accept: 'text/html' } }))
	if (ctx instanceof Response) throw new Error(`unexpected response ${ctx.status}`)
	const html = renderToString(
		<I18nextProvider i18n={i18n}>
			<StaticRouterProvider router={createStaticRouter(handler.dataRoutes, ctx)} context={ctx} />
		</I18nextProvider>,
	)
	return { html, status: ctx.statusCode }
}

/** The attributes of the first tag carrying data-testid="<id>". */
function tagOf(html: string, id: string) {
	return html.match(new RegExp(`<[^>]*data-testid="${id}"[^>]*>`))?.[0] ?? ''
}

describe('the status page', () => {
	test('link box with dark-mode colours, usage bar, days left, QR and one-tap imports', async () => {
		const { html, status } = await render(`/sub/${token}`, 'en')
		expect(status).toBe(200)
		const box = tagOf(html, 'share-value')
		expect(box).toContain(`value="http://hub.test/sub/${token}"`)
		// Today's bug was a white box on a white page in dark mode: both colours must switch.
		expect(box).toMatch(/dark:bg-gray-800/)
		expect(box).toMatch(/dark:text-gray-100/)
		expect(html).toContain('data-testid="usage-summary"')
		expect(html).toMatch(/role="progressbar"[^>]*aria-valuenow="24"/) // 12 of 50 GB
		expect(html).toMatch(/data-testid="days-left"[^>]*>10 days left</)
		expect(html).toContain('data-testid="qr"')
		const sub = encodeURIComponent(`http://hub.test/sub/${token}`)
		expect(html).toContain(`href="v2rayng://install-config?url=${sub}#page_user"`)
		expect(html).toContain(`href="sing-box://import-remote-profile?url=${sub}#page_user"`)
		expect(html).toContain(`href="clash://install-config?url=${sub}&amp;name=page_user"`)
		expect(html).toContain(`href="hiddify://import/http://hub.test/sub/${token}#page_user"`)
		expect(html).toContain(`href="streisand://import/http://hub.test/sub/${token}#page_user"`)
		// Each config also as its own copyable link.
		expect(html).toContain(`value="${LINKS.ss}"`)
	})

	test('Persian: Persian digits and text', async () => {
		const { html } = await render(`/sub/${token}`, 'fa')
		expect(html).toMatch(/data-testid="days-left"[^>]*>۱۰ روز مانده</)
		expect(html).toContain('لینک اشتراک')
		expect(tagOf(html, 'steps')).toContain('list-[persian]')
	})
})

describe('unknown token', () => {
	test.each([
		['en', 'This subscription link does not work'],
		['fa', 'این لینک اشتراک کار نمی‌کند'],
	] as const)('%s: a translated page, status 404', async (lang, text) => {
		const { html, status } = await render(`/sub/${'z'.repeat(32)}`, lang)
		expect(status).toBe(404)
		expect(html).toContain('data-testid="sub-not-found"')
		expect(html).toContain(text)
		expect(html).not.toMatch(/>404</)
	})
})
