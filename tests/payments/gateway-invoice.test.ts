// Paying a store invoice online (`/pay/online?invoice=<id>`): the amount is the invoice's total,
// never the form's; settlement tops up the wallet from the gateway and pays the invoice from it in
// the same transaction (onInvoicePaid: paid, activated once); an invoice paid another way
// meanwhile leaves the money in the wallet, never lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loader as onlineLoader } from '~/routes/payments+/online'
import { createDraft, issueInvoice } from '~/services/invoices/checkout.server'
import { payWithWallet } from '~/services/invoices/pay-wallet.server'
import { createSession } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { endUser, formKey, storeNode, storePlan, walletOf } from '../invoices/fixtures'
import { BASE, contextFor, getRequest, settle } from '../helpers'
import { browserReturn, moneyOf, startGatewaySims } from './gateway-fixtures'

let sims: Awaited<ReturnType<typeof startGatewaySims>>
beforeAll(async () => {
	sims = await startGatewaySims()
})
afterAll(async () => {
	await sims.close()
})

async function openInvoice(price: bigint, funds = 0n) {
	const node = await storeNode()
	const plan = await storePlan([node.id], { price })
	const user = await endUser(funds)
	const id = await createDraft({ userId: user.id, planId: plan.id, mode: 'new', formKey: formKey() })
	await issueInvoice(user.id, id)
	const cookie = (await createSession(user.id, new Request(BASE))).split(';')[0]!
	return { user, id, cookie }
}

async function payAtBank(redirectUrl: string) {
	const res = await fetch(`${redirectUrl}/pay`, { redirect: 'manual' })
	return res.headers.get('location')!
}

describe('a store invoice paid at a gateway', () => {
	it('charges the invoice total whatever the form says, pays and activates it once, and returns to the invoice', async () => {
		const { user, id, cookie } = await openInvoice(1_200_000n)
		const page = (await onlineLoader({ request: getRequest(`/pay/online?invoice=${id}`, cookie), params: {}, context: contextFor() })) as { invoice: { id: string } | null }
		expect(page.invoice?.id).toBe(String(id))
		const { redirectUrl, payment } = await startPaymentFor(cookie, id)
		expect(payment).toMatchObject({ purpose: 'invoice', invoiceId: id, amount: 1_200_000n })
		const back = await payAtBank(redirectUrl)
		const res = (await Promise.all([browserReturn(back, cookie), browserReturn(back)]))[0] as Response
		expect(res.headers.get('location')).toBe(`/account/invoices/${id}`)
		const inv = await prisma.invoice.findUniqueOrThrow({ where: { id } })
		expect([inv.status, inv.paymentStatus, inv.paymentId]).toEqual(['paid', 'paid', payment.id])
		expect(await prisma.customer.count({ where: { userId: user.id } })).toBe(1)
		expect(await walletOf(user.id)).toBe(0n) // in from the gateway, out to the invoice
		const money = await moneyOf(payment.id, { userId: user.id })
		expect(money.entries.map((e) => [e.account, e.amount])).toEqual([[`wallet:user:${user.id}`, 1_200_000n], ['gateway_clearing:zarinpal', -1_200_000n]])
		const charge = await prisma.ledgerEntry.findMany({ where: { refType: 'invoice', refId: String(id), userId: user.id } })
		expect(charge.map((e) => e.amount)).toEqual([-1_200_000n])
	})

	it('an invoice paid from the wallet meanwhile: the gateway money stays in the wallet', async () => {
		const { user, id, cookie } = await openInvoice(500_000n, 500_000n)
		const { redirectUrl, payment } = await startPaymentFor(cookie, id)
		await payWithWallet(user.id, id)
		await browserReturn(await payAtBank(redirectUrl), cookie)
		expect((await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe('settled')
		expect(await walletOf(user.id)).toBe(500_000n)
		expect((await prisma.invoice.findUniqueOrThrow({ where: { id } })).paymentId).toBeNull()
	})

	it('a gateway in Toman: an invoice with Rial in its total is charged the next whole Toman, the rest stays in the wallet', async () => {
		const { saveGatewaySettings } = await import('~/services/payments/gateway-settings.server')
		const { SIM_ZARINPAL_MERCHANT } = await import('../../sim/zarinpal')
		await saveGatewaySettings('zarinpal', { enabled: true, baseUrl: sims.zarinpal.url, secrets: { merchantId: SIM_ZARINPAL_MERCHANT }, options: { currency: 'IRT' } }, null)
		try {
			const { user, id, cookie } = await openInvoice(1_234_567n)
			const { redirectUrl, payment } = await startPaymentFor(cookie, id)
			expect(payment.amount).toBe(1_234_570n)
			await browserReturn(await payAtBank(redirectUrl), cookie)
			expect((await prisma.invoice.findUniqueOrThrow({ where: { id } })).status).toBe('paid')
			expect(await prisma.customer.count({ where: { userId: user.id } })).toBe(1)
			expect(await walletOf(user.id)).toBe(3n) // 1,234,570 in, 1,234,567 out to the invoice
		} finally {
			await saveGatewaySettings('zarinpal', { enabled: true, baseUrl: sims.zarinpal.url, secrets: { merchantId: SIM_ZARINPAL_MERCHANT }, options: { currency: 'IRR' } }, null)
		}
	})

	it("someone else's invoice, or one not open, cannot be paid online", async () => {
		const { id } = await openInvoice(300_000n)
		const stranger = await openInvoice(300_000n)
		const r = await settle(() => onlineLoader({ request: getRequest(`/pay/online?invoice=${id}`, stranger.cookie), params: {}, context: contextFor() }))
		expect((r as Response).status).toBe(404)
		await expect(startPaymentFor(stranger.cookie, id)).rejects.toThrow(/did not redirect: 409/)
		expect(await prisma.payment.count({ where: { invoiceId: id } })).toBe(0)
	})
})

async function startPaymentFor(cookie: string, invoiceId: bigint) {
	// amount is ignored for an invoice: its total is charged
	const { action } = await import('~/routes/payments+/online')
	const { formRequest } = await import('../helpers')
	const res = await settle(() => action({ request: formRequest('/pay/online', { provider: 'zarinpal', invoice: String(invoiceId), amount: '10000' }, { cookie }), params: {}, context: contextFor() }))
	if (!(res instanceof Response) || res.status !== 302) throw new Error(`start did not redirect: ${res instanceof Response ? res.status : (res as { init: { status: number } }).init?.status}`)
	const payment = await prisma.payment.findFirstOrThrow({ where: { invoiceId }, orderBy: { id: 'desc' } })
	return { redirectUrl: res.headers.get('location')!, payment }
}
