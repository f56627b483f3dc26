// The admin's receipt review says what the receipt pays: a receipt started from a store invoice
// shows "Pays invoice GH-…" linked to the admin's invoice page, with the invoice's total and
// status and the end user it is billed to (by name), and the queue row names the invoice — in
// Persian and English, rendered on the server with the real loaders. A wallet top-up shows none.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { createInstance } from 'i18next'
import { renderToString } from 'react-dom/server'
import { I18nextProvider, initReactI18next } from 'react-i18next'
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server'
import { beforeAll, describe, expect, test } from 'vitest'
import * as accountPage from '~/routes/account+/wallet.$id'
import ReviewPayment, { loader as reviewLoader } from '~/routes/admin+/payments.$id'
import AdminPayments, { loader as queueLoader } from '~/routes/admin+/payments'
import { createDraft, issueInvoice } from '~/services/invoices/checkout.server'
import { startInvoiceReceipt } from '~/services/invoices/pay-receipt.server'
import { prisma } from '~/utils/db.server'
import { i18nOptions } from '~/utils/i18n'
import { loginAs } from '../factories'
import { BASE } from '../helpers'
import { cookieOf, decide, makeCard, receiptFields, receiptPng, receiptRequest } from '../payments/receipts-fixtures'
import { call } from '../reseller/fixtures'
import { endUser, formKey, storeNode, storePlan } from './fixtures'

let admin: string
let invoice: { id: bigint; number: string }
let paymentId: bigint
beforeAll(async () => {
	admin = (await loginAs('admin')).cookie
	await prisma.paymentMethod.updateMany({ data: { active: false } })
	await makeCard()
	const plan = await storePlan([(await storeNode()).id], { price: 1_500_000n })
	const user = await endUser()
	await prisma.user.update({ where: { id: user.id }, data: { billingName: 'سارا احمدی' } })
	const id = await createDraft({ userId: user.id, planId: plan.id, mode: 'new', formKey: formKey() })
	await issueInvoice(user.id, id)
	invoice = { id, number: (await prisma.invoice.findUniqueOrThrow({ where: { id } })).number! }
	paymentId = await startInvoiceReceipt(user.id, id, 'card')
	const cookie = await cookieOf(user.id)
	const sent = await call(accountPage.action, receiptRequest(`/account/wallet/${paymentId}`, cookie, receiptFields(1_500_000n, 'TRK-90210'), await receiptPng()), { id: String(paymentId) })
	expect(sent.status).toBe(302)
})

type Route = { loader: (args: LoaderFunctionArgs) => Promise<unknown>; Component: () => JSX.Element }

async function render(path: string, lang: 'en' | 'fa', route: Route, params: Record<string, string> = {}) {
	const i18n = createInstance()
	await i18n.use(initReactI18next).init({ ...i18nOptions, lng: lang })
	const url = new URL(`${BASE}${path}`)
	const handler = createStaticHandler([{ id: 'page', path: url.pathname, loader: ({ request }: { request: Request }) => route.loader({ request, params, context: {} }), Component: route.Component }])
	const ctx = await handler.query(new Request(url, { headers: { Cookie: admin, 'Accept-Language': lang } }))
	if (ctx instanceof Response) throw new Error(`unexpected response ${ctx.status}`)
	return renderToString(
		<I18nextProvider i18n={i18n}>
			<StaticRouterProvider router={createStaticRouter(handler.dataRoutes, ctx)} context={ctx} hydrate={false} />
		</I18nextProvider>,
	)
}

const review = (id: bigint, lang: 'en' | 'fa') => render(`/admin/payments/${id}`, lang, { loader: reviewLoader, Component: ReviewPayment }, { id: String(id) })
const testId = (html: string, id: string) => new RegExp(`data-testid="${id}"[^>]*>(.*?)</dd>`).exec(html)?.[1] ?? ''

describe('the review card of a receipt that pays a store invoice', () => {
	test('English: the invoice number links to the admin invoice, with its total, status and billed-to name', async () => {
		const html = await review(paymentId, 'en')
		const pays = testId(html, 'pays-invoice')
		expect(html).toContain('Pays invoice')
		expect(pays).toContain(`href="/admin/invoices/${invoice.id}"`)
		expect(pays).toContain(`>${invoice.number}</a>`)
		expect(pays).toContain('1,500,000 Rial')
		expect(pays).toContain('Open')
		expect(testId(html, 'billed-to')).toContain('سارا احمدی')
	})

	test('Persian: Persian words and digits; after approval the status reads paid', async () => {
		expect((await decide(admin, paymentId, 'approve')).status).toBe(302)
		const html = await review(paymentId, 'fa')
		const pays = testId(html, 'pays-invoice')
		expect(html).toContain('پرداخت فاکتور')
		expect(pays).toContain(`href="/admin/invoices/${invoice.id}"`)
		expect(pays).toContain('۱٬۵۰۰٬۰۰۰ ریال')
		expect(pays).toContain('پرداخت‌شده')
		expect(html).toContain('صورت‌حساب به نام')
		expect(testId(html, 'billed-to')).toContain('سارا احمدی')
	})

	test('the queue row names the invoice; a wallet top-up names none', async () => {
		const topUpUser = await endUser()
		const { startPayment } = await import('~/services/payments/payments.server')
		const topUp = await startPayment({ userId: topUpUser.id, resellerId: null }, 'card', 200_000n, new Date())
		const html = await render('/admin/payments?status=all', 'fa', { loader: queueLoader, Component: AdminPayments })
		const items = html.split('<li>').slice(1)
		const item = (id: bigint) => items.find((li) => li.includes(`href="/admin/payments/${id}"`)) ?? ''
		expect(item(topUp.id)).toContain('queue-row')
		// (React puts <!-- --> between two adjacent text nodes)
		expect(item(paymentId)).toMatch(new RegExp(`data-testid="queue-invoice">فاکتور(<!-- -->)? <bdi dir="ltr" class="font-mono">${invoice.number}</bdi>`))
		expect(item(topUp.id)).not.toContain('queue-invoice')
		expect(await review(topUp.id, 'en')).not.toContain('Pays invoice')
	})
})
