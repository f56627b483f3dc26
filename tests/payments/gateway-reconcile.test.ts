// Payers who paid but never came back (and IPNs that never arrived): the reconciliation job
// inquires every gateway payment still waiting 10 min – 24 h after it was created and settles the
// paid ones; past 24 h an unpaid one is expired. Run through graphile-worker itself.
import { quickAddJob, runOnce } from 'graphile-worker'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reconcileGatewayPayments } from '~/services/payments/gateway-reconcile.server'
import { prisma } from '~/utils/db.server'
import { env } from '~/utils/env.server'
import { taskList } from '../../worker/tasks/index'
import { irrReseller, moneyOf, startGatewaySims, startPayment } from './gateway-fixtures'

let sims: Awaited<ReturnType<typeof startGatewaySims>>
beforeAll(async () => {
	sims = await startGatewaySims()
})
afterAll(async () => {
	await sims.close()
})

/** Pretend the payment was created `minutes` ago (its 24 h expiry moves with it). */
async function age(id: bigint, minutes: number) {
	const createdAt = new Date(Date.now() - minutes * 60_000)
	await prisma.payment.update({ where: { id }, data: { createdAt, expiresAt: new Date(createdAt.getTime() + 24 * 60 * 60_000) } })
}

async function runJob() {
	await quickAddJob({ connectionString: env().DATABASE_URL }, 'reconcile_gateway_payments', {})
	await runOnce({ connectionString: env().DATABASE_URL, taskList })
}

const statusOf = async (id: bigint) => (await prisma.payment.findUniqueOrThrow({ where: { id } })).status

describe('reconcile_gateway_payments', () => {
	it('settles the paid-but-never-returned (Zarinpal and NOWPayments), leaves the young and the unpaid, expires the old', async () => {
		const { reseller, cookie } = await irrReseller()
		const zp = await startPayment(cookie, 'zarinpal', '1000000')
		sims.zarinpal.payWithoutReturn(zp.payment.providerRef!)
		const np = await startPayment(cookie, 'nowpayments', '2000000')
		sims.nowpayments.payWithoutReturn(np.payment.providerRef!) // the IPN is lost too
		const young = await startPayment(cookie, 'zarinpal', '3000000')
		sims.zarinpal.payWithoutReturn(young.payment.providerRef!)
		const unpaid = await startPayment(cookie, 'zarinpal', '4000000')
		const old = await startPayment(cookie, 'zarinpal', '5000000')
		await age(zp.payment.id, 11)
		await age(np.payment.id, 11)
		await age(young.payment.id, 5)
		await age(unpaid.payment.id, 60)
		await age(old.payment.id, 24 * 60 + 1)

		await runJob()

		expect(await statusOf(zp.payment.id)).toBe('settled')
		expect(await statusOf(np.payment.id)).toBe('settled')
		expect(await statusOf(young.payment.id)).toBe('awaiting_gateway') // its payer may still come back
		expect(await statusOf(unpaid.payment.id)).toBe('awaiting_gateway')
		expect(await statusOf(old.payment.id)).toBe('expired')
		expect((await moneyOf(zp.payment.id, { resellerId: reseller.id })).balance).toBe(3_000_000n)
		const events = await prisma.paymentEvent.findMany({ where: { paymentId: zp.payment.id, toStatus: 'settled' } })
		expect(events.map((e) => (e.data as { source: string }).source)).toEqual(['reconcile'])
		const run = await prisma.taskRun.findFirstOrThrow({ where: { task: 'reconcile_gateway_payments' }, orderBy: { id: 'desc' } })
		expect([run.items, run.failures]).toEqual([4, 0])

		// Idempotent: a second run changes nothing and credits nothing.
		await runJob()
		expect((await moneyOf(zp.payment.id, { resellerId: reseller.id })).balance).toBe(3_000_000n)
	})

	it('an old payment the gateway reports paid is settled, not expired', async () => {
		const { reseller, cookie } = await irrReseller()
		const late = await startPayment(cookie, 'zarinpal', '600000')
		sims.zarinpal.payWithoutReturn(late.payment.providerRef!)
		await age(late.payment.id, 24 * 60 + 30)
		await reconcileGatewayPayments()
		expect(await statusOf(late.payment.id)).toBe('settled')
		expect((await moneyOf(late.payment.id, { resellerId: reseller.id })).balance).toBe(600_000n)
	})

	it('two workers reconciling at once credit once', async () => {
		const { reseller, cookie } = await irrReseller()
		const a = await startPayment(cookie, 'zarinpal', '700000')
		const b = await startPayment(cookie, 'nowpayments', '800000')
		sims.zarinpal.payWithoutReturn(a.payment.providerRef!)
		sims.nowpayments.payWithoutReturn(b.payment.providerRef!)
		await age(a.payment.id, 20)
		await age(b.payment.id, 20)
		const runs = await Promise.all([reconcileGatewayPayments(), reconcileGatewayPayments(), reconcileGatewayPayments()])
		expect(runs.flatMap((r) => r.errors)).toEqual([])
		expect(await statusOf(a.payment.id)).toBe('settled')
		expect(await statusOf(b.payment.id)).toBe('settled')
		expect((await moneyOf(a.payment.id, { resellerId: reseller.id })).balance).toBe(1_500_000n)
		expect(await prisma.paymentEvent.count({ where: { paymentId: { in: [a.payment.id, b.payment.id] }, toStatus: 'settled' } })).toBe(2)
	})

	it('a cancelled-at-the-bank payment the payer never returned from is closed as failed', async () => {
		const { cookie } = await irrReseller()
		const c = await startPayment(cookie, 'zarinpal', '700000')
		sims.zarinpal.cancel(c.payment.providerRef!)
		await age(c.payment.id, 15)
		await reconcileGatewayPayments()
		expect(await statusOf(c.payment.id)).toBe('failed')
	})
})
