// A downgrade takes effect at renewal (issue 12, decision 015), through real Postgres: paying it
// adds the cheaper plan's days after the current expiry, but the plan, its nodes and the traffic
// limit stay until that expiry; the switch is queued for that moment (a graphile job with run_at)
// and then applies once — the new plan's nodes (the others removed), its volume added, an order and
// a reconcile job. No other renewal or change may come in between; a downgrade paid after the
// expiry switches at once.
import { describe, expect, test } from 'vitest'
import { createDraft, issueInvoice } from '~/services/invoices/checkout.server'
import { InvoiceError } from '~/services/invoices/errors'
import { payWithWallet } from '~/services/invoices/pay-wallet.server'
import { applyDuePlanChanges } from '~/services/invoices/plan-change.server'
import * as servicesPage from '~/routes/account+/services'
import { prisma } from '~/utils/db.server'
import { cookieOf } from '../payments/receipts-fixtures'
import { call, getPage } from '../reseller/fixtures'
import { endUser, formKey, GB, storeNode, storePlan } from './fixtures'

const NOW = new Date('2026-06-10T08:30:00Z')
const DAY = 86_400_000
const at = (days: number) => new Date(NOW.getTime() + days * DAY)

async function buy(userId: number, planId: number, now: Date, extra: { mode?: 'new' | 'renew' | 'change' | 'add_traffic'; customerId?: number; gb?: number } = {}) {
	const id = await createDraft({ userId, planId, mode: extra.mode ?? 'new', customerId: extra.customerId, gb: extra.gb, formKey: formKey() }, now)
	const issued = await issueInvoice(userId, id, now)
	if (issued.status === 'open') await payWithWallet(userId, id, now)
	return prisma.invoice.findUniqueOrThrow({ where: { id }, include: { lines: true } })
}

async function setUp() {
	const [a, b] = [await storeNode('Downgrade A'), await storeNode('Downgrade B')]
	const big = await storePlan([a.id, b.id], { price: 2_000_000n, gb: 50n, days: 30, name: 'Big' })
	const small = await storePlan([a.id], { price: 1_000_000n, gb: 20n, days: 30, name: 'Small' })
	const u = await endUser(10_000_000n)
	const first = await buy(u.id, big.id, NOW)
	const serviceId = first.customerId!
	await prisma.customer.update({ where: { id: serviceId }, data: { usedBytes: 10n * GB } })
	return { a, b, big, small, u, serviceId }
}

const service = (id: number) => prisma.customer.findUniqueOrThrow({ where: { id }, include: { subAccounts: { orderBy: { nodeId: 'asc' } } } })
const liveNodes = (c: Awaited<ReturnType<typeof service>>) => c.subAccounts.filter((s) => s.state !== 'removing' && s.state !== 'removed').map((s) => s.nodeId)

describe('a downgrade takes effect at renewal', () => {
	test('the current plan, nodes and limit stay until the expiry; then the new plan takes over, once', async () => {
		const { a, b, big, small, u, serviceId } = await setUp()
		const inv = await buy(u.id, small.id, at(10), { mode: 'change', customerId: serviceId })
		expect([inv.kind, inv.status, inv.total]).toEqual(['downgrade', 'paid', 1_000_000n])
		expect(inv.lines.map((l) => l.kind)).toEqual(['plan']) // no proration on a downgrade

		// Paid: the new days follow the current expiry, everything else is still the big plan's.
		const paid = await service(serviceId)
		expect(paid).toMatchObject({ planId: big.id, dataLimitBytes: 50n * GB, scheduledInvoiceId: inv.id })
		expect(paid.scheduledChangeAt!.getTime()).toBe(at(30).getTime())
		expect(paid.expireAt.getTime()).toBe(at(60).getTime())
		expect(liveNodes(paid)).toEqual([a.id, b.id])
		// his services page says what comes and when
		const page = await call(servicesPage.loader, getPage('/account/services', await cookieOf(u.id)))
		expect(page.data.services.find((x: { id: number }) => x.id === serviceId).nextPlan).toEqual({ name: 'Small', at: at(30).toISOString() })
		// the switch is queued for that moment
		const [job] = await prisma.$queryRaw<Array<{ run_at: Date }>>`select run_at from graphile_worker._private_jobs where key = ${`plan-change:${serviceId}`}`
		expect(job?.run_at.getTime()).toBe(at(30).getTime())

		// Nothing else may reorder the paid periods meanwhile; traffic for the current plan may be bought.
		await expect(createDraft({ userId: u.id, planId: big.id, mode: 'renew', customerId: serviceId, formKey: formKey() }, at(11))).rejects.toMatchObject({ code: 'change_scheduled' } satisfies Partial<InvoiceError>)
		await expect(createDraft({ userId: u.id, planId: small.id, mode: 'change', customerId: serviceId, formKey: formKey() }, at(11))).rejects.toMatchObject({ code: 'change_scheduled' })

		// Before the renewal: nothing switches.
		expect(await applyDuePlanChanges(at(29))).toBe(0)
		expect(await service(serviceId)).toMatchObject({ planId: big.id, dataLimitBytes: 50n * GB })
		const ordersBefore = await prisma.order.count({ where: { customerId: serviceId } })

		// At the renewal: the small plan's node only, its volume added (as a renewal adds it).
		expect(await applyDuePlanChanges(at(30))).toBe(1)
		const switched = await service(serviceId)
		expect(switched).toMatchObject({ planId: small.id, dataLimitBytes: 70n * GB, scheduledInvoiceId: null, scheduledChangeAt: null })
		expect(switched.expireAt.getTime()).toBe(at(60).getTime())
		expect(liveNodes(switched)).toEqual([a.id])
		expect(switched.subAccounts.find((s) => s.nodeId === b.id)?.state).toBe('removing')
		expect(switched.subAccounts.find((s) => s.nodeId === a.id)?.chargedAmount).toBe(1_000_000n)
		const order = await prisma.order.findUniqueOrThrow({ where: { idempotencyKey: `invoice:${inv.id}:switch` } })
		expect([order.kind, order.amount, order.customerId]).toEqual(['change_plan', 0n, serviceId])
		const reconcile = await prisma.$queryRaw<Array<{ n: bigint }>>`select count(*)::bigint as n from graphile_worker._private_jobs where key = ${`customer:${serviceId}`} and payload->>'orderId' = ${String(order.id)}`
		expect(reconcile[0]!.n).toBe(1n)

		// Applied once: a second run (two workers, the hourly sweep) does nothing.
		expect(await applyDuePlanChanges(at(31))).toBe(0)
		expect(await prisma.order.count({ where: { customerId: serviceId } })).toBe(ordersBefore + 1)
		// and after the switch the service renews on its new plan again
		const renewal = await createDraft({ userId: u.id, planId: small.id, mode: 'renew', customerId: serviceId, formKey: formKey() }, at(31))
		expect(renewal).toBeTypeOf('bigint')
	})

	test('a downgrade paid after the service expired switches at once', async () => {
		const { a, small, u, serviceId } = await setUp()
		const inv = await buy(u.id, small.id, at(35), { mode: 'change', customerId: serviceId })
		const c = await service(serviceId)
		expect(c).toMatchObject({ planId: small.id, dataLimitBytes: 70n * GB, scheduledInvoiceId: null })
		expect(c.expireAt.getTime()).toBe(at(65).getTime())
		expect(liveNodes(c)).toEqual([a.id])
		expect(await prisma.order.count({ where: { idempotencyKey: `invoice:${inv.id}:switch` } })).toBe(1)
	})
})
