// NOWPayments end to end through the real routes and the simulator over real sockets: invoice →
// signed IPN to our webhook → re-query the payment → settled and credited once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/utils/db.server'
import { browserReturn, deliverIpn, irrReseller, moneyOf, startGatewaySims, startPayment } from './gateway-fixtures'

let sims: Awaited<ReturnType<typeof startGatewaySims>>
beforeAll(async () => {
	sims = await startGatewaySims()
})
afterAll(async () => {
	await sims.close()
})

const invoiceOf = (p: { providerRef: string | null }) => sims.nowpayments.state.invoices.get(p.providerRef!)!

describe('NOWPayments through the hub', () => {
	it('success: the invoice is priced with our rate, the signed IPN is re-queried, the wallet credited once', async () => {
		const { reseller, cookie } = await irrReseller()
		const { redirectUrl, payment } = await startPayment(cookie, 'nowpayments', '1234567')
		const inv = invoiceOf(payment)
		expect(redirectUrl).toBe(`${sims.nowpayments.url}/payment/?iid=${inv.id}`)
		// 1,234,567 Rial at 1,000,000 Rial/USD, rounded up to the cent.
		expect(inv).toMatchObject({ priceAmount: 1.24, priceCurrency: 'usd', ipnCallbackUrl: 'http://localhost/pay/ipn/nowpayments', successUrl: `http://localhost/pay/return/nowpayments?payment=${payment.id}&status=success` })
		expect(payment.providerData).toMatchObject({ rialPerUnit: '1000000', priceCurrency: 'usd', charged: { amount: '1.24', currency: 'usd' } })

		const ipn = sims.nowpayments.pay(inv.id)
		const before = sims.nowpayments.control.stats().byRoute['GET /v1/payment/:id'] ?? 0
		const res = await deliverIpn(ipn)
		expect(res.status).toBe(200)
		expect(sims.nowpayments.control.stats().byRoute['GET /v1/payment/:id']).toBe(before + 1)
		const row = await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })
		expect(row.status).toBe('settled')
		expect(row.providerTxId).toBe(String(JSON.parse(ipn.body).payment_id))
		const money = await moneyOf(payment.id, { resellerId: reseller.id })
		expect(money.balance).toBe(1_234_567n)
		expect(money.entries.map((e) => [e.account, e.amount])).toEqual([[`wallet:reseller:${reseller.id}`, 1_234_567n], ['gateway_clearing:nowpayments', -1_234_567n]])

		// The payer's browser comes back afterwards: his wallet, nothing more.
		const back = (await browserReturn(inv.successUrl!, cookie)) as Response
		expect(back.headers.get('location')).toBe('/reseller/wallet')
		// NOWPayments retries IPNs: a replay is answered OK and credits nothing.
		expect((await deliverIpn(ipn)).status).toBe(200)
		expect((await moneyOf(payment.id, { resellerId: reseller.id })).balance).toBe(1_234_567n)
	})

	it('a forged signature is refused with 401 and changes nothing', async () => {
		const { reseller, cookie } = await irrReseller()
		const { payment } = await startPayment(cookie, 'nowpayments', '500000')
		const events = await prisma.paymentEvent.count({ where: { paymentId: payment.id } })
		const res = await deliverIpn(sims.nowpayments.forgedIpn(invoiceOf(payment).id))
		expect(res.status).toBe(401)
		const row = await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })
		expect([row.status, row.providerData]).toEqual(['awaiting_gateway', payment.providerData])
		expect(await prisma.paymentEvent.count({ where: { paymentId: payment.id } })).toBe(events)
		expect(await moneyOf(payment.id, { resellerId: reseller.id })).toEqual({ balance: 0n, entries: [] })
	})

	it('a tampered body under a real signature is refused too', async () => {
		const { cookie } = await irrReseller()
		const { payment } = await startPayment(cookie, 'nowpayments', '500000')
		const ipn = sims.nowpayments.pay(invoiceOf(payment).id, { status: 'waiting' })
		const body = JSON.stringify({ ...JSON.parse(ipn.body), payment_status: 'finished' })
		expect((await deliverIpn(ipn, { body })).status).toBe(401)
		expect((await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe('awaiting_gateway')
	})

	it('a valid "finished" IPN is still re-queried: while the API says otherwise nothing settles', async () => {
		const { reseller, cookie } = await irrReseller()
		const { payment } = await startPayment(cookie, 'nowpayments', '500000')
		const ipn = sims.nowpayments.pay(invoiceOf(payment).id)
		// NOWPayments' own record of the payment is not finished (e.g. the IPN is an old one).
		sims.nowpayments.state.payments.get(JSON.parse(ipn.body).payment_id)!.payment_status = 'confirming'
		expect((await deliverIpn(ipn)).status).toBe(200)
		expect((await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe('awaiting_gateway')
		expect((await moneyOf(payment.id, { resellerId: reseller.id })).balance).toBe(0n)
	})

	it('amount mismatch: a payment priced differently from our row is refused and closed as failed', async () => {
		const { reseller, cookie } = await irrReseller()
		const { payment } = await startPayment(cookie, 'nowpayments', '5000000')
		const ipn = sims.nowpayments.pay(invoiceOf(payment).id)
		sims.nowpayments.state.payments.get(JSON.parse(ipn.body).payment_id)!.price_amount = 0.5
		expect((await deliverIpn(ipn)).status).toBe(200)
		const row = await prisma.payment.findUniqueOrThrow({ where: { id: payment.id }, include: { events: { orderBy: { id: 'asc' } } } })
		expect(row.status).toBe('failed')
		expect(row.events.at(-1)!.note).toMatch(/^amount_mismatch/)
		expect(await moneyOf(payment.id, { resellerId: reseller.id })).toEqual({ balance: 0n, entries: [] })
	})

	it('cancel: the invoice expired unpaid → cancelled', async () => {
		const { reseller, cookie } = await irrReseller()
		const { payment } = await startPayment(cookie, 'nowpayments', '500000')
		expect((await deliverIpn(sims.nowpayments.cancel(invoiceOf(payment).id))).status).toBe(200)
		expect((await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe('cancelled')
		expect((await moneyOf(payment.id, { resellerId: reseller.id })).balance).toBe(0n)
	})

	it('the browser return and the IPN at the same moment credit once', async () => {
		const { reseller, cookie } = await irrReseller()
		const { payment } = await startPayment(cookie, 'nowpayments', '700000')
		const inv = invoiceOf(payment)
		const ipn = sims.nowpayments.pay(inv.id)
		const [, res] = await Promise.all([browserReturn(inv.successUrl!, cookie), deliverIpn(ipn), deliverIpn(ipn)])
		expect(res.status).toBe(200)
		const row = await prisma.payment.findUniqueOrThrow({ where: { id: payment.id }, include: { events: true } })
		expect(row.status).toBe('settled')
		expect(row.events.filter((e) => e.toStatus === 'settled')).toHaveLength(1)
		expect((await moneyOf(payment.id, { resellerId: reseller.id })).balance).toBe(700_000n)
	})

	it('another payer\'s return link does nothing for a stranger; garbage IPNs are 4xx', async () => {
		const { cookie } = await irrReseller()
		const stranger = await irrReseller()
		const { payment } = await startPayment(cookie, 'nowpayments', '500000')
		sims.nowpayments.payWithoutReturn(invoiceOf(payment).id)
		expect(((await browserReturn(invoiceOf(payment).successUrl!, stranger.cookie)) as Response).status).toBe(404)
		expect((await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe('awaiting_gateway')
		const garbage = { url: 'http://localhost/pay/ipn/nowpayments', headers: { 'content-type': 'application/json' }, body: '' }
		expect((await deliverIpn({ ...garbage, body: 'not json' })).status).toBe(400)
		expect((await deliverIpn({ ...garbage, body: '[]' })).status).toBe(400)
		expect((await deliverIpn({ ...garbage, body: 'x'.repeat(70_000) })).status).toBe(413)
	})
})
