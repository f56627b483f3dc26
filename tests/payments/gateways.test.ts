// Each online gateway against its simulator over real sockets: the happy path, cancel, a replayed
// callback, a forged signature, a wrong amount at verify and a payer who paid but never came back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNowPaymentsGateway, sortedJson } from '~/services/payments/gateways/nowpayments.server'
import { isGatewayError, type GatewayErrorCode, type PaymentGateway } from '~/services/payments/gateways/types'
import { createZarinpalGateway } from '~/services/payments/gateways/zarinpal.server'
import { startNowPaymentsSim, type NowIpn, type NowPaymentsSim } from '../../sim/nowpayments'
import { SIM_ZARINPAL_MERCHANT, startZarinpalSim, type ZarinpalSim } from '../../sim/zarinpal'

async function expectCode(p: Promise<unknown>, code: GatewayErrorCode) {
	const e = await p.then(() => null, (err: unknown) => err)
	if (!isGatewayError(e)) throw new Error(`expected a GatewayError, got ${String(e)}`)
	expect(e.code).toBe(code)
}

const CALLBACK = 'https://hub.example/payments/zarinpal/return?p=7'

describe('Zarinpal v4', () => {
	let sim: ZarinpalSim
	let zp: PaymentGateway
	beforeAll(async () => {
		sim = await startZarinpalSim()
		zp = createZarinpalGateway({ merchantId: SIM_ZARINPAL_MERCHANT, baseUrl: sim.url, timeoutMs: 5000 })
	})
	afterAll(async () => {
		await zp.close()
		await sim.close()
	})

	const create = (amountRial = 1_500_000n) => zp.create({ amountRial, orderRef: 'pay_1', callbackUrl: CALLBACK, description: 'شارژ کیف پول', payer: { mobile: '09121234567' } })

	it('success: StartPay → return → verify paid once, then already_verified with the same ref', async () => {
		const created = await create()
		expect(created.redirectUrl).toBe(`${sim.url}/pg/StartPay/${created.providerRef}`)
		const session = sim.state.sessions.get(created.providerRef)!
		expect([session.amount, session.currency, session.metadata]).toEqual([1_500_000, 'IRR', { order_id: 'pay_1', mobile: '09121234567' }])
		// The payer's browser: the bank page, then "Pay", which redirects back to our callback.
		expect((await fetch(created.redirectUrl)).status).toBe(200)
		const back = await fetch(`${created.redirectUrl}/pay`, { redirect: 'manual' })
		expect(back.status).toBe(302)
		const parsed = await zp.parseCallback(new Request(back.headers.get('location')!))
		expect(parsed).toEqual({ providerRef: created.providerRef, statusHint: 'ok' })

		const first = await zp.verify({ providerRef: parsed.providerRef, amountRial: 1_500_000n })
		expect(first.state).toBe('paid')
		expect(first.providerTxId).toMatch(/^\d+$/)
		expect(first.cardPan).toBe('502229******5995')
		const second = await zp.verify({ providerRef: parsed.providerRef, amountRial: 1_500_000n })
		expect(second).toMatchObject({ state: 'already_verified', providerTxId: first.providerTxId })
		expect((await zp.inquire({ providerRef: created.providerRef })).state).toBe('already_verified')
	})

	it('cancel: Status=NOK, verify says failed, inquiry says failed', async () => {
		const created = await create()
		const parsed = await zp.parseCallback(new URL(sim.cancel(created.providerRef)).searchParams)
		expect(parsed.statusHint).toBe('cancelled')
		expect((await zp.verify({ providerRef: created.providerRef, amountRial: 1_500_000n })).state).toBe('failed')
		expect((await zp.inquire({ providerRef: created.providerRef })).state).toBe('failed')
	})

	it('a replayed return URL verifies as paid exactly once', async () => {
		const created = await create()
		const url = sim.pay(created.providerRef)
		const states = []
		for (const u of [url, sim.callbackUrl(created.providerRef), url]) {
			const p = await zp.parseCallback(new Request(u))
			states.push((await zp.verify({ providerRef: p.providerRef, amountRial: 1_500_000n })).state)
		}
		expect(states).toEqual(['paid', 'already_verified', 'already_verified'])
	})

	it('a wrong amount at verify is refused and does not consume the payment', async () => {
		const created = await create()
		sim.pay(created.providerRef)
		await expectCode(zp.verify({ providerRef: created.providerRef, amountRial: 15_000n }), 'amount_mismatch')
		expect((await zp.inquire({ providerRef: created.providerRef })).state).toBe('paid')
		expect((await zp.verify({ providerRef: created.providerRef, amountRial: 1_500_000n })).state).toBe('paid')
	})

	it('paid but never returned: inquiry reports paid, then verify settles it', async () => {
		const created = await create()
		expect((await zp.inquire({ providerRef: created.providerRef })).state).toBe('pending')
		sim.payWithoutReturn(created.providerRef)
		expect((await zp.inquire({ providerRef: created.providerRef })).state).toBe('paid')
		expect((await zp.verify({ providerRef: created.providerRef, amountRial: 1_500_000n })).state).toBe('paid')
	})

	it('Toman: the gateway is told IRT and Rial ÷ 10; a Rial amount that is not whole Toman is refused', async () => {
		const irt = createZarinpalGateway({ merchantId: SIM_ZARINPAL_MERCHANT, baseUrl: sim.url, currency: 'IRT' })
		try {
			const created = await irt.create({ amountRial: 250_000n, orderRef: 'pay_2', callbackUrl: CALLBACK, description: 'x' })
			expect(created.charged).toEqual({ amount: '25000', currency: 'IRT' })
			expect(sim.state.sessions.get(created.providerRef)).toMatchObject({ amount: 25_000, currency: 'IRT' })
			sim.pay(created.providerRef)
			expect((await irt.verify({ providerRef: created.providerRef, amountRial: 250_000n })).state).toBe('paid')
			await expectCode(irt.create({ amountRial: 250_005n, orderRef: 'pay_3', callbackUrl: CALLBACK, description: 'x' }), 'rejected')
		} finally {
			await irt.close()
		}
	})

	it('bad callbacks, unknown authorities and a wrong merchant map to typed errors', async () => {
		await expectCode(zp.parseCallback(new URLSearchParams('Status=OK')), 'bad_callback')
		await expectCode(zp.verify({ providerRef: 'A0000000000000000000000000000000000X', amountRial: 1_500_000n }), 'not_found')
		await expectCode(zp.create({ amountRial: 10n, orderRef: 'p', callbackUrl: CALLBACK, description: 'x' }), 'rejected')
		const stranger = createZarinpalGateway({ merchantId: '11111111-1111-1111-1111-111111111111', baseUrl: sim.url })
		await expectCode(stranger.create({ amountRial: 1_500_000n, orderRef: 'p', callbackUrl: CALLBACK, description: 'x' }), 'auth_failed')
		await stranger.close()
	})
})

describe('NOWPayments', () => {
	let sim: NowPaymentsSim
	let np: PaymentGateway
	const IPN = 'https://hub.example/payments/nowpayments/ipn'
	// 1,000,000 Rial per USD: 1,234,567 Rial is 1.234567 USD, charged as 1.24 (rounded up).
	const RATE = 1_000_000n
	const AMOUNT = 1_234_567n
	beforeAll(async () => {
		sim = await startNowPaymentsSim()
		np = createNowPaymentsGateway({
			apiKey: sim.state.apiKey, ipnSecret: sim.state.ipnSecret, rialPerUnit: RATE, baseUrl: sim.url,
			email: sim.state.login.email, password: sim.state.login.password, timeoutMs: 5000,
		})
	})
	afterAll(async () => {
		await np.close()
		await sim.close()
	})

	const create = () => np.create({ amountRial: AMOUNT, orderRef: 'pay_9', callbackUrl: IPN, returnUrl: 'https://hub.example/account/wallet', description: 'top-up' })
	const ipnRequest = (ipn: NowIpn, over: { body?: string; headers?: Record<string, string> } = {}) =>
		new Request(ipn.url ?? IPN, { method: 'POST', headers: over.headers ?? ipn.headers, body: over.body ?? ipn.body })

	it('success: invoice in USD, signed IPN, verify re-queries and reports paid with the payment id', async () => {
		const created = await create()
		expect(created.charged).toEqual({ amount: '1.24', currency: 'usd' })
		expect(created.redirectUrl).toBe(`${sim.url}/payment/?iid=${created.providerRef}`)
		expect(sim.state.invoices.get(created.providerRef)).toMatchObject({
			priceAmount: 1.24, priceCurrency: 'usd', orderId: 'pay_9', ipnCallbackUrl: IPN,
			successUrl: 'https://hub.example/account/wallet?status=success', cancelUrl: 'https://hub.example/account/wallet?status=cancel',
		})
		const ipn = sim.pay(created.providerRef)
		const parsed = await np.parseCallback(ipnRequest(ipn))
		expect(parsed).toMatchObject({ providerRef: created.providerRef, statusHint: 'ok' })
		const first = await np.verify({ providerRef: parsed.providerRef, providerPaymentId: parsed.providerPaymentId, amountRial: AMOUNT })
		expect(first).toMatchObject({ state: 'paid', providerTxId: parsed.providerPaymentId })
		// No verify-once at NOWPayments: the same answer again; the payment row's UNIQUE key credits once.
		const second = await np.verify({ providerRef: parsed.providerRef, providerPaymentId: parsed.providerPaymentId, amountRial: AMOUNT })
		expect(second).toMatchObject({ state: 'paid', providerTxId: first.providerTxId })
	})

	it('a replayed IPN points at the same payment: one settlement key, one paid transaction', async () => {
		const created = await create()
		const ipn = sim.pay(created.providerRef)
		const keys = new Set<string>()
		for (let i = 0; i < 3; i++) {
			const p = await np.parseCallback(ipnRequest(ipn))
			const v = await np.verify({ providerRef: p.providerRef, providerPaymentId: p.providerPaymentId, amountRial: AMOUNT })
			expect(v.state).toBe('paid')
			keys.add(`${p.providerRef}/${v.providerTxId}`)
		}
		expect(keys.size).toBe(1)
	})

	it('forged, tampered and unsigned IPNs are refused', async () => {
		const created = await create()
		await expectCode(np.parseCallback(ipnRequest(sim.forgedIpn(created.providerRef))), 'bad_signature')
		const genuine = sim.pay(created.providerRef, { status: 'waiting' })
		const tampered = genuine.body.replace('"payment_status":"waiting"', '"payment_status":"finished"')
		expect(tampered).not.toBe(genuine.body)
		await expectCode(np.parseCallback(ipnRequest(genuine, { body: tampered })), 'bad_signature')
		await expectCode(np.parseCallback(ipnRequest(genuine, { headers: { 'content-type': 'application/json' } })), 'bad_signature')
		await expectCode(np.parseCallback(new URLSearchParams('NP_id=1')), 'bad_callback')
		// The untampered one is accepted, and says what it says.
		expect((await np.parseCallback(ipnRequest(genuine))).statusHint).toBe('unknown')
	})

	it('the signature covers nested keys sorted at every depth', () => {
		expect(sortedJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}')
	})

	it('cancel: an expired payment verifies as failed', async () => {
		const created = await create()
		const p = await np.parseCallback(ipnRequest(sim.cancel(created.providerRef)))
		expect(p.statusHint).toBe('cancelled')
		expect((await np.verify({ providerRef: p.providerRef, providerPaymentId: p.providerPaymentId, amountRial: AMOUNT })).state).toBe('failed')
	})

	it('a wrong amount, or another invoice’s payment, is refused at verify', async () => {
		const a = await create()
		const b = await create()
		const p = await np.parseCallback(ipnRequest(sim.pay(a.providerRef)))
		await expectCode(np.verify({ providerRef: a.providerRef, providerPaymentId: p.providerPaymentId, amountRial: 2_000_000n }), 'amount_mismatch')
		await expectCode(np.verify({ providerRef: b.providerRef, providerPaymentId: p.providerPaymentId, amountRial: AMOUNT }), 'rejected')
	})

	it('an underpayment stays pending, never paid', async () => {
		const created = await create()
		const p = await np.parseCallback(ipnRequest(sim.pay(created.providerRef, { status: 'partially_paid', paidFraction: 0.5 })))
		expect((await np.verify({ providerRef: p.providerRef, providerPaymentId: p.providerPaymentId, amountRial: AMOUNT })).state).toBe('pending')
	})

	it('paid but the IPN never came: inquire by invoice finds it paid, and verify settles it', async () => {
		const created = await create()
		expect((await np.inquire({ providerRef: created.providerRef })).state).toBe('pending')
		sim.payWithoutReturn(created.providerRef)
		const found = await np.inquire({ providerRef: created.providerRef })
		expect(found.state).toBe('paid')
		expect(found.providerPaymentId).toMatch(/^\d+$/)
		expect((await np.verify({ providerRef: created.providerRef, providerPaymentId: found.providerPaymentId, amountRial: AMOUNT })).state).toBe('paid')
	})

	it('IRR is not a NOWPayments price currency, and a wrong API key is auth_failed', async () => {
		const irr = createNowPaymentsGateway({ apiKey: sim.state.apiKey, ipnSecret: 'x', rialPerUnit: 1n, priceCurrency: 'IRR', baseUrl: sim.url })
		await expectCode(irr.create({ amountRial: 1000n, orderRef: 'p', callbackUrl: IPN, description: 'x' }), 'rejected')
		await irr.close()
		const wrong = createNowPaymentsGateway({ apiKey: 'nope', ipnSecret: 'x', rialPerUnit: RATE, baseUrl: sim.url })
		await expectCode(wrong.create({ amountRial: AMOUNT, orderRef: 'p', callbackUrl: IPN, description: 'x' }), 'auth_failed')
		await wrong.close()
	})
})
