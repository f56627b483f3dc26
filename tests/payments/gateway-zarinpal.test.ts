// Zarinpal end to end through the real routes and the simulator over real sockets: start → the
// bank page → the browser's return → verify with our amount → settled and credited once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '~/utils/db.server'
import { browserReturn, irrReseller, moneyOf, startGatewaySims, startPayment, endUser } from './gateway-fixtures'

let sims: Awaited<ReturnType<typeof startGatewaySims>>
beforeAll(async () => {
	sims = await startGatewaySims()
})
afterAll(async () => {
	await sims.close()
})

/** The bank page's Pay/Cancel link: the URL Zarinpal redirects the browser to. */
async function atTheBank(redirectUrl: string, choice: 'pay' | 'cancel') {
	const res = await fetch(`${redirectUrl}/${choice}`, { redirect: 'manual' })
	expect(res.status).toBe(302)
	return res.headers.get('location')!
}

describe('Zarinpal through the hub', () => {
	it('success: the return verifies with our amount, settles, credits the reseller once and sends him to his wallet', async () => {
		const { reseller, cookie } = await irrReseller()
		const { redirectUrl, payment } = await startPayment(cookie, 'zarinpal', '۱۵۰۰۰۰۰')
		expect(payment).toMatchObject({ status: 'awaiting_gateway', amount: 1_500_000n, provider: 'zarinpal', resellerId: reseller.id })
		expect(redirectUrl).toBe(`${sims.zarinpal.url}/pg/StartPay/${payment.providerRef}`)
		const session = sims.zarinpal.state.sessions.get(payment.providerRef!)!
		expect([session.amount, session.callbackUrl]).toEqual([1_500_000, 'http://localhost/pay/return/zarinpal'])

		const back = await atTheBank(redirectUrl, 'pay')
		const res = await browserReturn(back, cookie)
		expect(res).toBeInstanceOf(Response)
		expect((res as Response).headers.get('location')).toBe('/reseller/wallet')

		const row = await prisma.payment.findUniqueOrThrow({ where: { id: payment.id }, include: { events: { orderBy: { id: 'asc' } } } })
		expect(row.status).toBe('settled')
		expect(row.providerTxId).toBe(String(session.refId))
		expect(row.events.map((e) => e.toStatus)).toEqual(['awaiting_gateway', 'settled'])
		const money = await moneyOf(payment.id, { resellerId: reseller.id })
		expect(money.balance).toBe(1_500_000n)
		expect(money.entries).toEqual([
			{ account: `wallet:reseller:${reseller.id}`, amount: 1_500_000n, key: `payment:${payment.id}:settle` },
			{ account: 'gateway_clearing:zarinpal', amount: -1_500_000n, key: `payment:${payment.id}:settle` },
		])
	})

	it('cancel: Status=NOK, confirmed failed at the gateway → cancelled, nothing credited', async () => {
		const { reseller, cookie } = await irrReseller()
		const { redirectUrl, payment } = await startPayment(cookie, 'zarinpal', '200000')
		await browserReturn(await atTheBank(redirectUrl, 'cancel'), cookie)
		expect((await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe('cancelled')
		expect(await moneyOf(payment.id, { resellerId: reseller.id })).toEqual({ balance: 0n, entries: [] })
	})

	it('a forged Status=NOK for a session still open at the bank does not cancel it; the payer can still pay', async () => {
		const { reseller, cookie } = await irrReseller()
		const { redirectUrl, payment } = await startPayment(cookie, 'zarinpal', '200000')
		await browserReturn(`http://localhost/pay/return/zarinpal?Authority=${payment.providerRef}&Status=NOK`)
		expect((await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe('awaiting_gateway')
		await browserReturn(await atTheBank(redirectUrl, 'pay'), cookie)
		expect((await moneyOf(payment.id, { resellerId: reseller.id })).balance).toBe(200_000n)
	})

	it('a forged Status=OK for an unpaid session credits nothing', async () => {
		const { reseller, cookie } = await irrReseller()
		const { payment } = await startPayment(cookie, 'zarinpal', '300000')
		await browserReturn(`http://localhost/pay/return/zarinpal?Authority=${payment.providerRef}&Status=OK`, cookie)
		expect((await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe('awaiting_gateway')
		expect(await moneyOf(payment.id, { resellerId: reseller.id })).toEqual({ balance: 0n, entries: [] })
	})

	it('a replayed return (refresh, back button, a copied link) credits once and no longer asks the gateway', async () => {
		const { reseller, cookie } = await irrReseller()
		const { redirectUrl, payment } = await startPayment(cookie, 'zarinpal', '400000')
		const back = await atTheBank(redirectUrl, 'pay')
		for (let i = 0; i < 3; i++) await browserReturn(back, cookie)
		await browserReturn(sims.zarinpal.callbackUrl(payment.providerRef!)) // signed out, the same link
		const money = await moneyOf(payment.id, { resellerId: reseller.id })
		expect(money.balance).toBe(400_000n)
		expect(money.entries).toHaveLength(2)
		expect(sims.zarinpal.state.sessions.get(payment.providerRef!)!.verifyCalls).toBe(1)
	})

	it('two returns at the same moment credit once', async () => {
		const { reseller, cookie } = await irrReseller()
		const { redirectUrl, payment } = await startPayment(cookie, 'zarinpal', '500000')
		const back = await atTheBank(redirectUrl, 'pay')
		await Promise.all([browserReturn(back, cookie), browserReturn(back, cookie), browserReturn(back)])
		const row = await prisma.payment.findUniqueOrThrow({ where: { id: payment.id }, include: { events: true } })
		expect(row.status).toBe('settled')
		expect(row.events.filter((e) => e.toStatus === 'settled')).toHaveLength(1)
		expect((await moneyOf(payment.id, { resellerId: reseller.id })).balance).toBe(500_000n)
	})

	it('amount mismatch: a session whose amount is not our row\'s is refused at verify and closed as failed, nothing credited', async () => {
		const { reseller, cookie } = await irrReseller()
		const { redirectUrl, payment } = await startPayment(cookie, 'zarinpal', '900000')
		// The gateway holds a different amount than our row (a tampered or mixed-up session).
		sims.zarinpal.state.sessions.get(payment.providerRef!)!.amount = 10_000
		await browserReturn(await atTheBank(redirectUrl, 'pay'), cookie)
		const row = await prisma.payment.findUniqueOrThrow({ where: { id: payment.id }, include: { events: { orderBy: { id: 'asc' } } } })
		expect(row.status).toBe('failed')
		expect(row.events.at(-1)!.note).toMatch(/^amount_mismatch/)
		expect(await moneyOf(payment.id, { resellerId: reseller.id })).toEqual({ balance: 0n, entries: [] })
		// Zarinpal never marked it verified: the bank returns the money to the payer.
		expect(sims.zarinpal.state.sessions.get(payment.providerRef!)!.status).toBe('PAID')
	})

	it('an end user tops up his own wallet', async () => {
		const { user, cookie } = await endUser()
		const { redirectUrl, payment } = await startPayment(cookie, 'zarinpal', '250000')
		expect(payment).toMatchObject({ userId: user.id, resellerId: null })
		const res = (await browserReturn(await atTheBank(redirectUrl, 'pay'), cookie)) as Response
		expect(res.headers.get('location')).toBe('/account/wallet')
		const money = await moneyOf(payment.id, { userId: user.id })
		expect(money.balance).toBe(250_000n)
		expect(money.entries.map((e) => e.account)).toEqual([`wallet:user:${user.id}`, 'gateway_clearing:zarinpal'])
	})

	it('a reseller whose wallet is not in Rial cannot start; unknown authorities and garbage returns are 4xx', async () => {
		const { user, cookie } = await irrReseller()
		await prisma.reseller.update({ where: { userId: user.id }, data: { currency: 'USD' } })
		const { action } = await import('~/routes/payments+/online')
		const { formRequest, contextFor } = await import('../helpers')
		const r = await action({ request: formRequest('/pay/online', { provider: 'zarinpal', amount: '100000' }, { cookie }), params: {}, context: contextFor() })
		expect((r as unknown as { init: { status: number } }).init.status).toBe(403)
		expect(await prisma.payment.count({ where: { userId: user.id } })).toBe(0)
		for (const url of ['http://localhost/pay/return/zarinpal?Authority=A00000000000000000000000000000000000&Status=OK', 'http://localhost/pay/return/zarinpal?Status=OK', 'http://localhost/pay/return/zarinpal?Authority=%27%3B--']) {
			const res = (await browserReturn(url)) as Response
			expect([400, 404]).toContain(res.status)
		}
	})
})
