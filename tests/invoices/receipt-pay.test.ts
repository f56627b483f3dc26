// Paying an open store invoice by card-to-card receipt, through the real routes: the invoice page's
// link (/account/wallet?invoice=) → start (the amount is the invoice's total, whatever the form
// says) → receipt → the admin's decision. Approved by two admins at once → the invoice is paid and
// activated exactly once, one wallet credit and one charge; rejected → the invoice stays open and
// nothing activates, the same payment takes a new receipt; an invoice paid another way meanwhile
// leaves the receipt's money in the wallet; the expiry pass does not void an invoice whose receipt
// waits for review; another user's invoice is a 404; a reversal after approval suspends the service.
import { beforeAll, beforeEach, describe, expect, test } from 'vitest'
import * as accountPage from '~/routes/account+/wallet.$id'
import * as accountWallet from '~/routes/account+/wallet'
import * as invoicePage from '~/routes/account+/invoices.$id'
import { createDraft, issueInvoice } from '~/services/invoices/checkout.server'
import { payWithWallet } from '~/services/invoices/pay-wallet.server'
import { expireUnpaidInvoices } from '~/services/invoices/void.server'
import { prisma } from '~/utils/db.server'
import { loginAs } from '../factories'
import { cookieOf, decide, makeCard, receiptFields, receiptPng, receiptRequest } from '../payments/receipts-fixtures'
import { call, formPost, getPage } from '../reseller/fixtures'
import { endUser, formKey, jobsFor, storeNode, storePlan, walletOf } from './fixtures'

let admin: { cookie: string }
let admin2: { cookie: string }
let plan: Awaited<ReturnType<typeof storePlan>>
beforeAll(async () => {
	admin = await loginAs('admin')
	admin2 = await loginAs('admin')
	plan = await storePlan([(await storeNode()).id], { price: 1_500_000n })
})
beforeEach(async () => {
	// one fresh card with room per test (the file's database is shared by its tests)
	await prisma.paymentMethod.updateMany({ data: { active: false } })
	await makeCard()
})
let code = 5000
const nextCode = () => `INV-${++code}`

async function openInvoice(funds = 0n) {
	const user = await endUser(funds)
	const id = await createDraft({ userId: user.id, planId: plan.id, mode: 'new', formKey: formKey() })
	await issueInvoice(user.id, id)
	return { user, id, cookie: await cookieOf(user.id) }
}

/** The invoice page's "pay by card transfer" → the wallet page → start; returns the payment id. */
async function startForInvoice(cookie: string, invoiceId: bigint, amount = '10000') {
	const page = await call(accountWallet.loader, getPage(`/account/wallet?invoice=${invoiceId}`, cookie))
	expect(page.status).toBe(200)
	expect(page.data.invoice).toMatchObject({ id: String(invoiceId), total: 1_500_000n })
	// a forged amount in the form is ignored: the payment asks for the invoice's total
	const r = await call(accountWallet.action, formPost(`/account/wallet?invoice=${invoiceId}`, { intent: 'pay_invoice', invoice: String(invoiceId), kind: 'card', amount }, cookie))
	expect(r.status).toBe(302)
	return BigInt(r.location!.split('/').pop()!)
}

async function sendReceipt(cookie: string, paymentId: bigint) {
	const r = await call(accountPage.action, receiptRequest(`/account/wallet/${paymentId}`, cookie, receiptFields(1_500_000n, nextCode()), await receiptPng()), { id: String(paymentId) })
	expect(r.status).toBe(302)
}

const invoiceOf = (id: bigint) => prisma.invoice.findUniqueOrThrow({ where: { id } })

describe('an open invoice paid by card-to-card receipt', () => {
	test('two admins approve at once → paid and activated once, one credit and one charge', async () => {
		const { user, id, cookie } = await openInvoice()
		const paymentId = await startForInvoice(cookie, id)
		expect(await prisma.payment.findUniqueOrThrow({ where: { id: paymentId } })).toMatchObject({ purpose: 'invoice', invoiceId: id, amount: 1_500_000n, userId: user.id, resellerId: null })
		// a second start (double tap, second visit) finds the same payment: one card room held
		expect(await startForInvoice(cookie, id)).toBe(paymentId)
		const shown = await call(accountPage.loader, getPage(`/account/wallet/${paymentId}`, cookie), { id: String(paymentId) })
		expect(shown.data.invoice).toMatchObject({ id: String(id) })
		await sendReceipt(cookie, paymentId)
		const waiting = await call(invoicePage.loader, getPage(`/account/invoices/${id}`, cookie), { id: String(id) })
		expect(waiting.data.receipt).toMatchObject({ id: paymentId, status: 'submitted' })

		const [a, b] = await Promise.all([decide(admin.cookie, paymentId, 'approve'), decide(admin2.cookie, paymentId, 'approve')])
		expect([a.status, b.status].sort()).toEqual([302, 409])
		expect((await decide(admin.cookie, paymentId, 'approve')).status).toBe(409)

		const inv = await invoiceOf(id)
		expect([inv.status, inv.paymentStatus, inv.paymentId]).toEqual(['paid', 'paid', paymentId])
		const services = await prisma.customer.findMany({ where: { userId: user.id } })
		expect(services).toHaveLength(1)
		expect(await prisma.order.count({ where: { customerId: services[0]!.id } })).toBe(1)
		expect(await jobsFor(services[0]!.id)).toBe(1)
		// in from the card, out to the invoice: one of each, the wallet back at zero
		expect(await walletOf(user.id)).toBe(0n)
		const credit = await prisma.ledgerEntry.findMany({ where: { userId: user.id, refType: 'payment', refId: String(paymentId) }, select: { amount: true } })
		expect(credit.map((e) => e.amount)).toEqual([1_500_000n])
		const charge = await prisma.ledgerEntry.findMany({ where: { userId: user.id, refType: 'invoice', refId: String(id) }, select: { amount: true } })
		expect(charge.map((e) => e.amount)).toEqual([-1_500_000n])
	})

	test('rejected → the invoice stays open, nothing activates; resubmitted → approved → paid', async () => {
		const { user, id, cookie } = await openInvoice()
		const paymentId = await startForInvoice(cookie, id)
		await sendReceipt(cookie, paymentId)
		expect((await decide(admin.cookie, paymentId, 'reject', { reason: 'رسید خوانا نیست' })).status).toBe(302)
		expect((await invoiceOf(id)).status).toBe('open')
		expect(await prisma.customer.count({ where: { userId: user.id } })).toBe(0)
		expect(await walletOf(user.id)).toBe(0n)
		expect(await prisma.ledgerEntry.count({ where: { userId: user.id } })).toBe(0)
		const page = await call(invoicePage.loader, getPage(`/account/invoices/${id}`, cookie), { id: String(id) })
		expect(page.data.receipt).toMatchObject({ id: paymentId, status: 'rejected' })

		await sendReceipt(cookie, paymentId)
		expect((await decide(admin.cookie, paymentId, 'approve')).status).toBe(302)
		expect((await invoiceOf(id)).status).toBe('paid')
		expect(await prisma.customer.count({ where: { userId: user.id } })).toBe(1)
	})

	test('reversed after it paid the invoice: the money is taken back and the service it bought is suspended, once', async () => {
		const { user, id, cookie } = await openInvoice()
		const paymentId = await startForInvoice(cookie, id)
		await sendReceipt(cookie, paymentId)
		expect((await decide(admin.cookie, paymentId, 'approve')).status).toBe(302)
		const [service] = await prisma.customer.findMany({ where: { userId: user.id } })
		expect(service).toMatchObject({ status: 'active', disabledReason: null })

		expect((await decide(admin.cookie, paymentId, 'reverse', { reason: 'بانک تقلب گزارش کرد' })).status).toBe(302)
		expect(await prisma.customer.findUniqueOrThrow({ where: { id: service!.id } })).toMatchObject({ status: 'disabled', disabledReason: 'payment_reversed' })
		// the panels follow through the customer's coalescing reconcile job, now the reversal's (no order)
		const [job] = await prisma.$queryRaw<Array<{ payload: unknown }>>`select payload from graphile_worker._private_jobs where key = ${`customer:${service!.id}`}`
		expect(job?.payload).toEqual({ customerId: service!.id })
		expect(await prisma.customerEvent.count({ where: { customerId: service!.id, kind: 'suspended', reason: 'payment_reversed' } })).toBe(1)
		expect(await prisma.auditEvent.count({ where: { action: 'customer.suspend', entityId: String(service!.id) } })).toBe(1)
		// the receipt's credit is taken back: the wallet owes what the invoice consumed
		expect(await walletOf(user.id)).toBe(-1_500_000n)
		// a second reversal is refused and changes nothing
		expect((await decide(admin.cookie, paymentId, 'reverse', { reason: 'again' })).status).toBe(409)
		expect(await walletOf(user.id)).toBe(-1_500_000n)
		expect(await prisma.customerEvent.count({ where: { customerId: service!.id, kind: 'suspended' } })).toBe(1)
	})

	test('an invoice paid from the wallet meanwhile: the approved receipt stays in the wallet', async () => {
		const { user, id, cookie } = await openInvoice(1_500_000n)
		const paymentId = await startForInvoice(cookie, id)
		await sendReceipt(cookie, paymentId)
		await payWithWallet(user.id, id)
		expect((await decide(admin.cookie, paymentId, 'approve')).status).toBe(302)
		expect(await walletOf(user.id)).toBe(1_500_000n)
		expect((await invoiceOf(id)).paymentId).toBeNull()
		expect(await prisma.customer.count({ where: { userId: user.id } })).toBe(1)
	})

	test('the expiry pass leaves an invoice whose receipt waits for review; after a rejection it voids it', async () => {
		const { id, cookie } = await openInvoice()
		const paymentId = await startForInvoice(cookie, id)
		await sendReceipt(cookie, paymentId)
		const later = new Date(Date.now() + 72 * 3_600_000)
		await expireUnpaidInvoices(later)
		expect((await invoiceOf(id)).status).toBe('open')
		await decide(admin.cookie, paymentId, 'reject', { reason: 'مبلغ واریز نشده است' })
		await expireUnpaidInvoices(later)
		expect((await invoiceOf(id)).status).toBe('void')
	})

	test("another user's invoice, a paid one and junk ids are refused with a 4xx; nothing starts", async () => {
		const { id } = await openInvoice()
		const stranger = await openInvoice()
		expect((await call(accountWallet.loader, getPage(`/account/wallet?invoice=${id}`, stranger.cookie))).status).toBe(404)
		expect((await call(accountWallet.loader, getPage('/account/wallet?invoice=abc', stranger.cookie))).status).toBe(404)
		const r = await call(accountWallet.action, formPost('/account/wallet', { intent: 'pay_invoice', invoice: String(id), kind: 'card' }, stranger.cookie))
		expect([r.status, r.data.error.key]).toEqual([409, 'invoices.errors.not_payable'])
		expect((await call(accountWallet.action, formPost('/account/wallet', { intent: 'pay_invoice', invoice: 'x', kind: 'card' }, stranger.cookie))).status).toBe(400)
		expect((await call(accountWallet.action, formPost('/account/wallet', { intent: 'pay_invoice', invoice: String(stranger.id), kind: 'gold' }, stranger.cookie))).status).toBe(400)
		expect(await prisma.payment.count({ where: { invoiceId: id } })).toBe(0)
	})
})
