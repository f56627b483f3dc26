// The customer list page as the server renders it: the root, the reseller layout and the list's
// loaders run on a real Request and their components render to HTML, as a browser receives it.
// The rows (username, status, usage, days left, expiry, online dot), the search, the filters, the
// bell's unread count and the node options are checked in the HTML — and another reseller's
// customers never appear in it (issue 16 moved these queries off the ORM; the page must not change).
import { createInstance } from 'i18next'
import { renderToString } from 'react-dom/server'
import { I18nextProvider, initReactI18next } from 'react-i18next'
import { Outlet } from 'react-router-dom'
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server'
import { beforeAll, describe, expect, test } from 'vitest'
import * as root from '~/root'
import * as list from '~/routes/reseller+/customers'
import * as layout from '~/routes/reseller+/_layout'
import { prisma } from '~/utils/db.server'
import { formatBytes, formatDate } from '~/utils/format'
import { i18nOptions } from '~/utils/i18n'
import { GB } from '~/utils/money'
import { contextFor } from '../helpers'
import { getPage, resellerFixture } from './fixtures'

const DAY = 24 * 60 * 60_000
let nodeA: number
let nodeB: number
let a: Awaited<ReturnType<typeof resellerFixture>>
let b: Awaited<ReturnType<typeof resellerFixture>>
const expiry = new Date(Date.now() + 5 * DAY + 3_600_000)

beforeAll(async () => {
	nodeA = (await prisma.node.create({ data: { name: 'Render North', kind: 'marzban', secrets: 'x' } })).id
	nodeB = (await prisma.node.create({ data: { name: 'Render South', kind: 'marzneshin', secrets: 'x' } })).id
	const gone = (await prisma.node.create({ data: { name: 'Render Gone', kind: 'marzban', secrets: 'x', deletedAt: new Date() } })).id
	a = await resellerFixture({ nodeIds: [nodeA, nodeB, gone] })
	b = await resellerFixture({ nodeIds: [nodeA] })
	const make = (resellerId: number, username: string, data: Partial<{ note: string; status: 'active' | 'disabled' | 'deleted'; usedBytes: bigint; nodeId: number; onlineAt: Date }> = {}) =>
		prisma.customer.create({
			data: {
				resellerId, username, note: data.note ?? null, status: data.status ?? 'active', dataLimitBytes: 10n * GB, usedBytes: data.usedBytes ?? 0n, expireAt: expiry, subToken: `render-${resellerId}-${username}`,
				subAccounts: { create: [{ nodeId: data.nodeId ?? nodeA, remoteUsername: `r_${username}`, state: 'active', onlineAt: data.onlineAt ?? null }] },
			},
		})
	await make(a.reseller.id, 'alpha_one', { usedBytes: 3n * GB, onlineAt: new Date(Date.now() - 30_000) })
	await make(a.reseller.id, 'bravo_two', { note: 'Shop 100% loyal', status: 'disabled', nodeId: nodeB, onlineAt: new Date(Date.now() - 2 * 3_600_000) })
	await make(a.reseller.id, 'charlie', { note: 'VIP corner' })
	await make(a.reseller.id, 'delta_gone', { status: 'deleted' })
	// B's look-alikes: the same kind of names, a matching note, on a node A also has.
	await make(b.reseller.id, 'alpha_other', { note: 'VIP corner too' })
	await make(b.reseller.id, 'bravo_other', { note: 'Shop 100% loyal' })
	await prisma.notification.createMany({
		data: [
			{ audience: 'reseller', resellerId: a.reseller.id, kind: 'expiring', dedupeKey: `render-a1-${a.reseller.id}` },
			{ audience: 'reseller', resellerId: a.reseller.id, kind: 'expiring', dedupeKey: `render-a2-${a.reseller.id}` },
			{ audience: 'reseller', resellerId: a.reseller.id, kind: 'expiring', dedupeKey: `render-a3-${a.reseller.id}`, readAt: new Date() },
			{ audience: 'reseller', resellerId: b.reseller.id, kind: 'expiring', dedupeKey: `render-b1-${b.reseller.id}` },
		],
	})
})

const i18n = createInstance()
await i18n.use(initReactI18next).init({ ...i18nOptions, lng: 'en' })

/** The page's HTML for `path`, rendered from its three loaders and components. */
async function render(path: string, cookie = a.cookie) {
	const context = contextFor('203.0.113.60')
	// root's loader answers data() (for its Set-Cookie): the router gets its value, as Remix gives it.
	const rootLoader = async ({ request }: { request: Request }) => ((await root.loader({ request, params: {}, context })) as unknown as { data: unknown }).data
	const routes = [
		{
			id: 'root', path: '/', loader: rootLoader, element: <Outlet />,
			children: [{
				id: 'routes/reseller+/_layout', path: 'reseller', loader: layout.loader, Component: layout.default,
				children: [{ id: 'routes/reseller+/customers', path: 'customers', loader: list.loader, Component: list.default }],
			}],
		},
	]
	const handler = createStaticHandler(routes as never)
	const ctx = await handler.query(getPage(path, cookie))
	if (ctx instanceof Response) throw new Error(`answered ${ctx.status}`)
	if (ctx.errors) throw new Error(`loader error: ${JSON.stringify(ctx.errors)}`)
	return renderToString(
		<I18nextProvider i18n={i18n}>
			<StaticRouterProvider router={createStaticRouter(handler.dataRoutes, ctx)} context={ctx} hydrate={false} />
		</I18nextProvider>,
	)
}

/** The usernames of the rendered rows, in page order. */
const rowsOf = (html: string) => [...html.matchAll(/<span dir="ltr" class="truncate font-medium[^"]*">([^<]+)<\/span>/g)].map((m) => m[1])

describe('the customer list page, rendered', () => {
	test('his rows newest first with status, usage, days left, expiry and online dot; never another reseller\'s', async () => {
		const html = await render('/reseller/customers')
		expect(rowsOf(html)).toEqual(['charlie', 'bravo_two', 'alpha_one'])
		expect(html).not.toContain('_other')
		expect(html).not.toContain('delta_gone')
		// alpha_one: online (green dot), 3 GB of 10 GB, 6 days left (rounded up), the expiry date
		expect(html).toMatch(/data-online="yes"[^>]*title="Online"/)
		expect(html).toContain(`<bdi>${formatBytes('en', 3n * GB)}</bdi> / <bdi>${formatBytes('en', 10n * GB)}</bdi>`)
		expect(html).toContain('data-days="6"')
		expect(html).toContain(formatDate('en', expiry))
		// bravo_two: disabled pill, last seen two hours ago; charlie never connected
		expect(html).toContain('>Disabled<')
		expect(html).toContain('title="Last seen 2 hours ago"')
		expect(html).toContain('title="Never connected"')
		// the node filter offers his live nodes only; the bell counts his two unread
		expect(html).toContain(`<option value="${nodeA}">Render North</option><option value="${nodeB}">Render South</option></select>`)
		expect(html).not.toContain('Render Gone')
		expect(html).toMatch(/data-testid="unread-count"[^>]*>2</)
	})

	test('search by username or note, status and node filters, each within his own customers', async () => {
		expect(rowsOf(await render('/reseller/customers?q=ALPHA'))).toEqual(['alpha_one'])
		expect(rowsOf(await render('/reseller/customers?q=vip'))).toEqual(['charlie'])
		expect(rowsOf(await render('/reseller/customers?status=disabled'))).toEqual(['bravo_two'])
		expect(rowsOf(await render('/reseller/customers?status=deleted'))).toEqual(['delta_gone'])
		expect(rowsOf(await render(`/reseller/customers?node=${nodeB}`))).toEqual(['bravo_two'])
		expect(rowsOf(await render(`/reseller/customers?q=_&node=${nodeA}`))).toEqual(['alpha_one'])
		const none = await render('/reseller/customers?q=nobody')
		expect(rowsOf(none)).toEqual([])
		expect(none).toContain('No customer matches.')
		// B's page: his two, none of A's
		expect(rowsOf(await render('/reseller/customers', b.cookie))).toEqual(['bravo_other', 'alpha_other'])
	})

	test('% and _ in a search match themselves, not any text', async () => {
		expect(rowsOf(await render('/reseller/customers?q=%25'))).toEqual(['bravo_two'])
		expect(rowsOf(await render('/reseller/customers?q=_'))).toEqual(['bravo_two', 'alpha_one'])
		expect(rowsOf(await render('/reseller/customers?q=a%25o'))).toEqual([])
		expect(rowsOf(await render('/reseller/customers?q=%5C'))).toEqual([])
	})
})
