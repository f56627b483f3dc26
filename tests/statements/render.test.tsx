// The statement screen rendered on the server with its real loader (issue 14): the month picker
// is a plain GET form (works without JavaScript), the calendar toggle and the downloads keep the
// month, and each entry names its operation and links its customer — in Persian with Jalali dates
// and Persian digits.
import { randomUUID } from 'node:crypto'
import { createInstance } from 'i18next'
import { renderToString } from 'react-dom/server'
import { I18nextProvider, initReactI18next } from 'react-i18next'
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server'
import { beforeAll, expect, test } from 'vitest'
import AdminStatement, { loader as adminLoader } from '~/routes/admin+/resellers.$id.statement'
import ResellerStatement, { loader } from '~/routes/reseller+/statements'
import { post } from '~/services/billing/ledger.server'
import { monthKey, monthOf } from '~/services/statements/month'
import { createSession } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { i18nOptions } from '~/utils/i18n'
import { createReseller, fund } from '../billing/fixtures'
import { loginAs } from '../factories'
import { BASE } from '../helpers'

let cookie: string
let resellerId: number
let customerId: number
beforeAll(async () => {
	const { user, reseller } = await createReseller({ nodeIds: [] })
	await prisma.reseller.update({ where: { id: reseller.id }, data: { currency: 'IRT' } })
	await fund(reseller.id, 90_000n)
	const customer = await prisma.customer.create({ data: { resellerId: reseller.id, username: 'render_c1', dataLimitBytes: 1n, expireAt: new Date(Date.now() + 86_400_000), subToken: randomUUID() } })
	const order = await prisma.order.create({ data: { resellerId: reseller.id, customerId: customer.id, kind: 'create', quote: {}, idempotencyKey: randomUUID() } })
	await prisma.$transaction((tx) => post(tx, { resellerId: reseller.id, account: 'money', amount: -12_000n, kind: 'charge', refType: 'order', refId: order.id, idempotencyKey: randomUUID() }))
	cookie = (await createSession(user.id, new Request(BASE))).split(';')[0]!
	resellerId = reseller.id
	customerId = customer.id
})

async function render(path: string, lang: 'en' | 'fa', route: { loader: typeof loader | typeof adminLoader; Component: () => JSX.Element; params?: Record<string, string> }, who = cookie) {
	const i18n = createInstance()
	await i18n.use(initReactI18next).init({ ...i18nOptions, lng: lang })
	const routePath = new URL(`${BASE}${path}`).pathname
	const handler = createStaticHandler([{ id: 'statement', path: routePath, loader: ({ request }: { request: Request }) => route.loader({ request, params: route.params ?? {}, context: {} }), Component: route.Component }])
	const ctx = await handler.query(new Request(`${BASE}${path}`, { headers: { Cookie: who, 'Accept-Language': lang } }))
	if (ctx instanceof Response) throw new Error(`unexpected response ${ctx.status}`)
	return renderToString(
		<I18nextProvider i18n={i18n}>
			<StaticRouterProvider router={createStaticRouter(handler.dataRoutes, ctx)} context={ctx} hydrate={false} />
		</I18nextProvider>,
	)
}

test('Persian: a GET month picker, calendar toggle, downloads, operation and customer link', async () => {
	const month = monthKey(monthOf(new Date(), 'jalali'))
	const html = await render('/reseller/statements', 'fa', { loader, Component: ResellerStatement })
	expect(html).toMatch(/<form method="get" action="\/reseller\/statements"[^>]*data-testid="statement-picker"/)
	expect(html).toContain('<input type="hidden" name="cal" value="jalali"/>')
	expect(html).toMatch(new RegExp(`<option value="${month}" selected="">[^<]*[۰-۹]{4}</option>`))
	expect(html).toContain(`href="/reseller/statements/xlsx?month=${month}&amp;cal=jalali"`)
	expect(html).toContain(`href="/reseller/statements/pdf?month=${month}&amp;cal=jalali"`)
	expect(html).toMatch(/data-testid="other-calendar"[^>]*>میلادی</)
	expect(html).toContain(`href="/reseller/customers/${customerId}"`)
	expect(html).toContain('ساخت مشتری')
	expect(html).toContain('−۱۲٬۰۰۰ تومان')
	expect(html).toMatch(/[۰-۹]{4}\/[۰-۹]{2}\/[۰-۹]{2} [۰-۹]{2}:[۰-۹]{2}/) // Jalali date and Tehran time
})

test('English admin view of the same reseller: Gregorian, Latin digits, links into the admin', async () => {
	const admin = (await loginAs('admin')).cookie
	const html = await render(`/admin/resellers/${resellerId}/statement`, 'en', { loader: adminLoader, Component: AdminStatement, params: { id: String(resellerId) } }, admin)
	expect(html).toContain('<input type="hidden" name="cal" value="gregorian"/>')
	expect(html).toContain('href="/admin/customers?q=render_c1"')
	expect(html).toContain('New customer')
	expect(html).toContain('78,000 Toman') // closing: 90,000 − 12,000
	expect(html).not.toMatch(/[۰-۹]/)
})
