// The audit page and the dashboard's "Recent activity" as the server renders them: human names in
// the admin's language (never a raw code like `order.create`), money formatted in the wallet's
// currency, and Jalali day inputs in Persian.
import { createInstance } from 'i18next'
import type { ComponentType } from 'react'
import { renderToString } from 'react-dom/server'
import { I18nextProvider, initReactI18next } from 'react-i18next'
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server'
import { beforeAll, describe, expect, test } from 'vitest'
import AdminAudit, { loader as auditLoader } from '~/routes/admin+/audit'
import AdminDashboard, { loader as dashboardLoader } from '~/routes/admin+/index'
import { prisma } from '~/utils/db.server'
import type { Lang } from '~/utils/i18n'
import { i18nOptions } from '~/utils/i18n'
import { loginAs } from '../factories'

let admin: Awaited<ReturnType<typeof loginAs>>
beforeAll(async () => {
	admin = await loginAs('admin')
	await prisma.auditEvent.create({ data: { action: 'order.create', actorId: admin.user.id, entityType: 'order', entityId: '77', after: { customerId: 5, amount: '1500' } } })
	await prisma.auditEvent.create({ data: { action: 'ledger.charge', actorId: admin.user.id, entityType: 'reseller', entityId: '3', before: { balance: '100000' }, after: { balance: '98500', amount: '-1500', currency: 'USD', refType: 'order', refId: '77' } } })
})

type Loader = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>
async function render(lang: Lang, path: string, loader: Loader, Component: ComponentType) {
	const i18n = createInstance()
	await i18n.use(initReactI18next).init({ ...i18nOptions, lng: lang })
	const handler = createStaticHandler([{ id: 'page', path: path.split('?')[0], loader: ({ request }: { request: Request }) => loader({ request, params: {}, context: {} }), Component }])
	const ctx = await handler.query(new Request(`http://hub.test${path}`, { headers: { cookie: admin.cookie } }))
	if (ctx instanceof Response) throw new Error(`unexpected response ${ctx.status}`)
	return renderToString(
		<I18nextProvider i18n={i18n}>
			<StaticRouterProvider router={createStaticRouter(handler.dataRoutes, ctx)} context={ctx} hydrate={false} />
		</I18nextProvider>,
	)
}
// what a reader sees: no scripts (hydration data holds the codes) and no filter options
const text = (html: string) => html.replace(/<script[^]*?<\/script>/g, ' ').replace(/<select[^]*?<\/select>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/&#x27;/g, "'").replace(/\s+/g, ' ')

describe('audit names on screen', () => {
	test('/admin/audit in Persian: names, formatted money, Jalali day inputs', async () => {
		const html = await render('fa', '/admin/audit', auditLoader as Loader, AdminAudit)
		const shown = text(html)
		expect(shown).toContain('از کیف پولی برداشت کرد') // ledger.charge
		expect(shown).toContain('مشتری‌ای ساخت') // order.create
		expect(shown).toMatch(/۱٬۰۰۰.*←.*۹۸۵/) // balance 1,000.00 → 985.00 USD in Persian digits
		expect(html).toMatch(/<input[^>]*name="from"[^>]*type="text"|<input[^>]*type="text"[^>]*name="from"/)
		expect(html).toContain('placeholder="۱۴۰۵/۰۹/۱۰"')
	})

	test('/admin/audit in English: the kind filter names every option', async () => {
		const html = await render('en', '/admin/audit?kind=ledger', auditLoader as Loader, AdminAudit)
		expect(html).toContain('<option value="ledger.charge">charged a wallet</option>')
		expect(html).toMatch(/<option value="ledger" selected="">All: Money movements<\/option>/)
		expect(text(html)).toContain('charged a wallet')
		expect(text(html)).not.toContain('created a customer') // filtered out
		expect(text(html)).toMatch(/Balance 1,000\.00 USD → 985\.00 USD/)
		expect(text(html)).not.toContain('ledger.charge')
	})

	test("the dashboard's Recent activity shows names, not codes", async () => {
		for (const [lang, name] of [['en', 'created a customer'], ['fa', 'مشتری‌ای ساخت']] as const) {
			const shown = text(await render(lang, '/admin', dashboardLoader as Loader, AdminDashboard))
			expect(shown).toContain(name)
			expect(shown).not.toMatch(/order\.create|ledger\.charge/)
		}
	})
})
