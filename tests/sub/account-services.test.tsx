// /account/services: the end user's own store services — usage, days left, links with copy / QR /
// import, renew / add traffic / upgrade — and never another user's.
import { createInstance } from 'i18next'
import { renderToString } from 'react-dom/server'
import { I18nextProvider, initReactI18next } from 'react-i18next'
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server'
import { beforeAll, describe, expect, test } from 'vitest'
import AccountServices, { loader } from '~/routes/account+/services'
import { prisma } from '~/utils/db.server'
import { i18nOptions } from '~/utils/i18n'
import { createReseller } from '../billing/fixtures'
import { loginAs } from '../factories'
import { settle } from '../helpers'
import { createSubCustomer, LINKS } from './fixtures'

let alice: Awaited<ReturnType<typeof loginAs>>
let bob: Awaited<ReturnType<typeof loginAs>>
let aliceService: Awaited<ReturnType<typeof createSubCustomer>>
let bobService: Awaited<ReturnType<typeof createSubCustomer>>
beforeAll(async () => {
	alice = await loginAs('customer')
	bob = await loginAs('customer')
	aliceService = await createSubCustomer({ userId: alice.user.id, username: 'alice_vpn', links: [LINKS.reality, LINKS.ss] })
	await createSubCustomer({ userId: alice.user.id, username: 'alice_old', status: 'expired' as never })
	bobService = await createSubCustomer({ userId: bob.user.id, username: 'bob_vpn' })
	// A deleted service of hers stays hidden.
	await createSubCustomer({ userId: alice.user.id, username: 'alice_gone', status: 'deleted' as never })
})

const get = (cookie?: string) => new Request('http://hub.test/account/services', { headers: cookie ? { cookie } : {} })

async function renderFor(cookie: string) {
	const i18n = createInstance()
	await i18n.use(initReactI18next).init({ ...i18nOptions, lng: 'en' })
	const handler = createStaticHandler([{ id: 'services', path: '/account/services', loader: ({ request }: { request: Request }) => loader({ request, params: {}, context: {} }), Component: AccountServices }])
	const ctx = await handler.query(get(cookie))
	if (ctx instanceof Response) throw new Error(`unexpected response ${ctx.status}`)
	return renderToString(
		<I18nextProvider i18n={i18n}>
			<StaticRouterProvider router={createStaticRouter(handler.dataRoutes, ctx)} context={ctx} />
		</I18nextProvider>,
	)
}

describe('/account/services', () => {
	test('lists only her own live services, each with its figures, links and actions', async () => {
		const { services } = await loader({ request: get(alice.cookie), params: {}, context: {} })
		expect(services.map((s) => s.name).sort()).toEqual(['alice_old', 'alice_vpn'])
		const vpn = services.find((s) => s.name === 'alice_vpn')!
		expect(vpn.subUrl).toBe(`http://hub.test/sub/${aliceService.token}`)
		expect(vpn.nodes.flatMap((n) => n.links)).toEqual([LINKS.reality, LINKS.ss])
		expect(vpn.figures).toMatchObject({ status: 'active', used: String(12n * 1024n ** 3n), limit: String(50n * 1024n ** 3n), daysLeft: 10 })
		// An expired service shows its figures but no configs.
		expect(services.find((s) => s.name === 'alice_old')!.nodes).toEqual([])
	})

	test('the page: usage, sub link with copy box, QR, one-tap import, renew / add traffic / upgrade links', async () => {
		const html = await renderFor(alice.cookie)
		const id = aliceService.customer.id
		expect(html).toContain(`data-testid="service-${id}"`)
		expect(html).toContain(`value="http://hub.test/sub/${aliceService.token}"`)
		expect(html).toContain(`v2rayng://install-config?url=${encodeURIComponent(`http://hub.test/sub/${aliceService.token}`)}`)
		expect(html).toContain('data-testid="qr"')
		expect(html).toContain(`href="/store/checkout/renew/${id}"`)
		expect(html).toContain(`href="/store/checkout/traffic/${id}"`)
		expect(html).toContain(`href="/store/checkout/upgrade/${id}"`)
		expect(html).not.toContain(bobService.token)
		expect(html).not.toContain('bob_vpn')
	})

	test('he sees his, not hers', async () => {
		const { services } = await loader({ request: get(bob.cookie), params: {}, context: {} })
		expect(services.map((s) => s.name)).toEqual(['bob_vpn'])
	})

	test('a reseller customer with a user id is not a store service; other roles and strangers are refused', async () => {
		const { reseller } = await createReseller({ nodeIds: [] })
		await prisma.customer.update({ where: { id: bobService.customer.id }, data: { resellerId: reseller.id } })
		expect((await loader({ request: get(bob.cookie), params: {}, context: {} })).services).toEqual([])
		const anon = (await settle(() => loader({ request: get(), params: {}, context: {} }))) as Response
		expect(anon.status).toBe(302)
		const admin = await loginAs('admin')
		const asAdmin = (await settle(() => loader({ request: get(admin.cookie), params: {}, context: {} }))) as Response
		expect(asAdmin).toBeInstanceOf(Response)
		expect([302, 403, 404]).toContain(asAdmin.status)
	})
})
