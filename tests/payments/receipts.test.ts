// Receipts through the real routes (issue 11): start → receipt → admin decision, against real
// Postgres. Credited exactly once under two concurrent approvals; reject → resubmit → approve;
// duplicates blocked, near duplicates flagged; an expired payment still takes a late receipt;
// owner scoping of the pages and of the receipt file.
import { beforeAll, beforeEach, describe, expect, test } from 'vitest'
import * as adminPayment from '~/routes/admin+/payments.$id'
import * as adminQueue from '~/routes/admin+/payments'
import * as accountPage from '~/routes/account+/wallet.$id'
import * as accountWallet from '~/routes/account+/wallet'
import * as payerPage from '~/routes/reseller+/wallet.top-up.$id'
import * as topUp from '~/routes/reseller+/wallet.top-up'
import * as fileRoute from '~/routes/resources+/receipts.$id'
import { expireOverdue } from '~/services/payments/payments.server'
import { prisma } from '~/utils/db.server'
import { expectBalanceEqualsLedger } from '../billing-admin/helpers'
import { createUser, loginAs } from '../factories'
import { call, formPost, getPage } from '../reseller/fixtures'
import { cookieOf, decide, irrReseller, makeCard, receiptFields, receiptPng, receiptRequest, startTopUp, submitThroughRoute } from './receipts-fixtures'

let admin: { user: { id: number; username: string }; cookie: string }
let admin2: { user: { id: number; username: string }; cookie: string }
beforeAll(async () => {
	admin = await loginAs('admin')
	admin2 = await loginAs('admin')
})
let code = 1000
const nextCode = () => `TR-${++code}`

// every test gets one fresh card with room (the file's database is shared by its tests)
beforeEach(async () => {
	await prisma.paymentMethod.updateMany({ data: { active: false } })
	await makeCard()
})

const balance = async (resellerId: number) => (await prisma.reseller.findUniqueOrThrow({ where: { id: resellerId } })).balance
const paymentOf = (id: bigint) => prisma.payment.findUniqueOrThrow({ where: { id } })

describe('a reseller tops up by card receipt', () => {
	test('start reserves a card and shows its details; submit; two admins approve at once → credited exactly once', async () => {
		const { reseller, cookie } = await irrReseller()
		const id = await startTopUp(cookie, 5_000_000n)
		const p = await paymentOf(id)
		expect(p).toMatchObject({ status: 'awaiting_transfer', amount: 5_000_000n, currency: 'IRR', channel: 'card', resellerId: reseller.id })
		const reservation = await prisma.paymentReservation.findUniqueOrThrow({ where: { id: p.reservationId! } })
		expect(reservation.usedAt).not.toBeNull()
		expect(reservation.paymentRef).toBe(String(id))
		expect(p.expiresAt.getTime()).toBe(reservation.expiresAt.getTime())

		const page = await call(payerPage.loader, getPage(`/reseller/wallet/top-up/${id}`, cookie), { id: String(id) })
		expect(page.data.payment.shown.details).toMatchObject({ number: '6037990000000006', holder: 'Ali Rezaei' })

		const sent = await submitThroughRoute(cookie, id, receiptFields(5_000_000n, '۱۲۳۴-۵۶۷۸-99'), await receiptPng())
		expect(sent.status).toBe(302)
		const submitted = await paymentOf(id)
		expect(submitted).toMatchObject({ status: 'submitted', trackingCodeNorm: '1234567899', payerCardLast4: '1234', receiptAmount: 5_000_000n, flags: [] })
		expect(await prisma.notification.count({ where: { audience: 'admin', kind: 'payment_submitted', dedupeKey: { startsWith: `payment_submitted:${id}:` } } })).toBe(1)
		// pending credit never raises what he can spend
		expect(await balance(reseller.id)).toBe(0n)

		const [a, b] = await Promise.all([decide(admin.cookie, id, 'approve'), decide(admin2.cookie, id, 'approve')])
		const statuses = [a.status, b.status].sort()
		expect(statuses).toEqual([302, 409])
		const loser = a.status === 409 ? a : b
		expect(loser.data.failure.code).toBe('already_decided')
		expect(loser.data.failure.values.by).toMatch(/^admin_/)
		expect(await balance(reseller.id)).toBe(5_000_000n)
		expect(await prisma.ledgerEntry.count({ where: { resellerId: reseller.id, refType: 'payment', refId: String(id) } })).toBe(1)
		await expectBalanceEqualsLedger(reseller.id)
		const events = await prisma.paymentEvent.findMany({ where: { paymentId: id }, orderBy: { id: 'asc' } })
		expect(events.map((e) => e.toStatus)).toEqual(['awaiting_transfer', 'submitted', 'approved', 'settled'])
		expect(await prisma.notification.count({ where: { audience: 'reseller', resellerId: reseller.id, kind: 'payment_approved' } })).toBe(1)

		// a third tap after the fact: still 409, still one credit
		const late = await decide(admin.cookie, id, 'approve')
		expect(late.status).toBe(409)
		expect(await balance(reseller.id)).toBe(5_000_000n)
	})

	test('reject with a reason (shown to the payer) → resubmit the same payment → approve', async () => {
		const { reseller, cookie } = await irrReseller()
		const id = await startTopUp(cookie, 2_000_000n)
		expect((await submitThroughRoute(cookie, id, receiptFields(2_000_000n, nextCode()), await receiptPng())).status).toBe(302)
		expect((await decide(admin.cookie, id, 'reject', { reason: '' })).status).toBe(400)
		expect((await decide(admin.cookie, id, 'reject', { reason: 'Amount not received' })).status).toBe(302)
		const page = await call(payerPage.loader, getPage(`/reseller/wallet/top-up/${id}`, cookie), { id: String(id) })
		expect(page.data.payment).toMatchObject({ status: 'rejected', rejectReason: 'Amount not received' })
		expect(await prisma.notification.count({ where: { resellerId: reseller.id, kind: 'payment_rejected' } })).toBe(1)

		expect((await submitThroughRoute(cookie, id, receiptFields(2_000_000n, nextCode()), await receiptPng())).status).toBe(302)
		expect(await paymentOf(id)).toMatchObject({ status: 'submitted', rejectReason: null, decidedBy: null })
		expect((await decide(admin.cookie, id, 'claim')).status).toBe(302)
		// the claim keeps the other admin out for its 15 minutes
		const other = await decide(admin2.cookie, id, 'approve')
		expect(other.status).toBe(409)
		expect(other.data.failure.code).toBe('claimed')
		expect((await decide(admin.cookie, id, 'approve')).status).toBe(302)
		expect(await balance(reseller.id)).toBe(2_000_000n)
		const events = await prisma.paymentEvent.findMany({ where: { paymentId: id }, orderBy: { id: 'asc' } })
		expect(events.map((e) => e.toStatus)).toEqual(['awaiting_transfer', 'submitted', 'rejected', 'submitted', 'in_review', 'approved', 'settled'])
		await expectBalanceEqualsLedger(reseller.id)
	})

	test('reverse after settlement takes the credit back, into the negative if need be', async () => {
		const { reseller, cookie } = await irrReseller()
		const id = await startTopUp(cookie, 1_000_000n)
		await submitThroughRoute(cookie, id, receiptFields(1_000_000n, nextCode()), await receiptPng())
		await decide(admin.cookie, id, 'approve')
		const { fund } = await import('../billing/fixtures')
		await fund(reseller.id, -600_000n)
		expect((await decide(admin.cookie, id, 'reverse', { reason: 'Bank reported fraud' })).status).toBe(302)
		expect(await balance(reseller.id)).toBe(-600_000n)
		expect((await paymentOf(id)).status).toBe('reversed')
		expect((await decide(admin.cookie, id, 'reverse', { reason: 'again' })).status).toBe(409)
		expect(await balance(reseller.id)).toBe(-600_000n)
		await expectBalanceEqualsLedger(reseller.id)
	})
})

describe('duplicates', () => {
	test('the same file on another payment is blocked with a link to the first', async () => {
		const one = await irrReseller()
		const two = await irrReseller()
		const file = await receiptPng()
		const first = await startTopUp(one.cookie, 3_000_000n)
		expect((await submitThroughRoute(one.cookie, first, receiptFields(3_000_000n, nextCode()), file)).status).toBe(302)
		const second = await startTopUp(two.cookie, 3_000_000n)
		const r = await submitThroughRoute(two.cookie, second, receiptFields(3_000_000n, nextCode()), file)
		expect(r.status).toBe(409)
		expect(r.data.failure).toEqual({ code: 'duplicate_file', values: { paymentId: String(first) } })
		expect((await paymentOf(second)).status).toBe('awaiting_transfer')
	})

	test('the same tracking code (Persian digits, dashes) for the same card is blocked', async () => {
		const one = await irrReseller()
		const two = await irrReseller()
		const first = await startTopUp(one.cookie, 3_000_000n)
		await submitThroughRoute(one.cookie, first, receiptFields(3_000_000n, '778899-11'), await receiptPng())
		const second = await startTopUp(two.cookie, 3_100_000n)
		const r = await submitThroughRoute(two.cookie, second, receiptFields(3_100_000n, '۷۷۸ ۸۹۹ ۱۱'), await receiptPng())
		expect(r.status).toBe(409)
		expect(r.data.failure).toEqual({ code: 'duplicate_tracking', values: { paymentId: String(first) } })
	})

	test('same card + amount + paid-at within 10 min from another payer: allowed, flagged for the reviewer', async () => {
		const one = await irrReseller()
		const two = await irrReseller()
		const paidAt = new Date(Date.now() - 30 * 60_000)
		const first = await startTopUp(one.cookie, 4_000_000n)
		await submitThroughRoute(one.cookie, first, receiptFields(4_000_000n, nextCode(), paidAt), await receiptPng())
		const second = await startTopUp(two.cookie, 4_000_000n)
		const r = await submitThroughRoute(two.cookie, second, receiptFields(4_000_000n, nextCode(), new Date(paidAt.getTime() + 6 * 60_000)), await receiptPng())
		expect(r.status).toBe(302)
		expect((await paymentOf(second)).flags).toEqual(['near_duplicate'])
		expect((await paymentOf(first)).flags).toEqual([])
		const card = await call(adminPayment.loader, getPage(`/admin/payments/${second}`, admin.cookie), { id: String(second) })
		expect(card.data.nearDuplicateOf).toEqual([String(first)])
		expect(card.data.payer).toMatchObject({ settled: 0, rejected: 0 })
		// 11 minutes apart: no flag
		const third = await startTopUp((await irrReseller()).cookie, 4_000_000n)
		const p3 = await paymentOf(third)
		const c3 = await cookieOf(p3.userId)
		await submitThroughRoute(c3, third, receiptFields(4_000_000n, nextCode(), new Date(paidAt.getTime() - 11 * 60_000)), await receiptPng())
		expect((await paymentOf(third)).flags).toEqual([])
	})
})

describe('expiry and late receipts', () => {
	test('never submitted before expiry → expired (room freed); a late receipt is kept and flagged, never lost', async () => {
		const { cookie } = await irrReseller()
		const id = await startTopUp(cookie, 1_500_000n)
		const p = await paymentOf(id)
		// (other tests' open payments expire earlier: assert on this one, not on the count)
		await expireOverdue(new Date(p.expiresAt.getTime() - 1000))
		expect((await paymentOf(id)).status).toBe('awaiting_transfer')
		expect(await expireOverdue(new Date(p.expiresAt.getTime() + 1000))).toBeGreaterThanOrEqual(1)
		expect((await paymentOf(id)).status).toBe('expired')
		expect(await prisma.paymentReservation.findUniqueOrThrow({ where: { id: p.reservationId! } })).toMatchObject({ released: true, usedAt: null })

		const r = await submitThroughRoute(cookie, id, receiptFields(1_500_000n, nextCode()), await receiptPng())
		expect(r.status).toBe(302)
		expect(await paymentOf(id)).toMatchObject({ status: 'submitted', late: true, flags: ['late'] })
		// the transfer happened: it counts against the card's day again
		expect((await prisma.paymentReservation.findUniqueOrThrow({ where: { id: p.reservationId! } })).usedAt).not.toBeNull()
		const queue = await call(adminQueue.loader, getPage('/admin/payments?status=open', admin.cookie))
		expect(queue.data.rows.some((row: { id: bigint; late: boolean }) => row.id === id && row.late)).toBe(true)
	})

	test('cancel frees the card room; no card with room → card hidden and other kinds offered', async () => {
		await prisma.paymentMethod.updateMany({ data: { active: false } })
		await makeCard({ dailyCountLimit: 1 })
		await prisma.paymentMethod.create({ data: { kind: 'crypto', alias: 'USDT', details: { asset: 'USDT', network: 'TRC20', address: 'TXYZabc123456789' } } })
		const one = await irrReseller()
		const two = await irrReseller()
		const id = await startTopUp(one.cookie, 1_000_000n)
		const full = await call(topUp.action, formPost('/reseller/wallet/top-up', { intent: 'start', amount: '1000000', kind: 'card' }, two.cookie))
		expect(full.status).toBe(409)
		expect(full.data).toMatchObject({ failure: { code: 'no_method' }, hide: 'card' })
		expect((await call(topUp.action, formPost('/reseller/wallet/top-up', { intent: 'start', amount: '1000000', kind: 'crypto' }, two.cookie))).status).toBe(302)

		expect((await call(payerPage.action, formPost(`/reseller/wallet/top-up/${id}`, { intent: 'cancel' }, one.cookie), { id: String(id) })).status).toBe(302)
		expect((await paymentOf(id)).status).toBe('cancelled')
		expect((await call(topUp.action, formPost('/reseller/wallet/top-up', { intent: 'start', amount: '1000000', kind: 'card' }, two.cookie))).status).toBe(302)
	})
})

describe('owner scoping', () => {
	test('another reseller cannot see or submit to your payment, nor read its receipt; admins can', async () => {
		const owner = await irrReseller()
		const stranger = await irrReseller()
		const customer = await loginAs('customer')
		const id = await startTopUp(owner.cookie, 2_500_000n)
		await submitThroughRoute(owner.cookie, id, receiptFields(2_500_000n, nextCode()), await receiptPng())
		const fileId = (await paymentOf(id)).receiptFileId!

		expect((await call(payerPage.loader, getPage(`/reseller/wallet/top-up/${id}`, stranger.cookie), { id: String(id) })).status).toBe(404)
		const theirs = await submitThroughRoute(stranger.cookie, id, receiptFields(2_500_000n, nextCode()), await receiptPng())
		expect(theirs.status).toBe(404)
		expect((await call(payerPage.action, formPost(`/reseller/wallet/top-up/${id}`, { intent: 'cancel' }, stranger.cookie), { id: String(id) })).status).toBe(404)
		expect((await call(accountPage.loader, getPage(`/account/wallet/${id}`, customer.cookie), { id: String(id) })).status).toBe(404)

		const file = (cookie: string) => call(fileRoute.loader, getPage(`/resources/receipts/${fileId}`, cookie), { id: String(fileId) })
		expect((await file(stranger.cookie)).status).toBe(404)
		expect((await file(customer.cookie)).status).toBe(404)
		const mine = await file(owner.cookie)
		expect(mine.status).toBe(200)
		expect(mine.response!.headers.get('content-type')).toBe('image/webp')
		expect((await file(admin.cookie)).status).toBe(200)
		// a payer may not decide
		expect((await call(adminPayment.action, formPost(`/admin/payments/${id}`, { intent: 'approve' }, owner.cookie), { id: String(id) })).status).toBe(403)
	})
})

describe('an end user pays into his own wallet', () => {
	test('start → receipt → approve credits users.wallet_balance once', async () => {
		const user = await createUser('customer')
		const cookie = await cookieOf(user.id)
		const start = await call(accountWallet.action, formPost('/account/wallet', { intent: 'start', amount: '۷۵۰٬۰۰۰', kind: 'card' }, cookie))
		expect(start.status).toBe(302)
		const id = BigInt(start.location!.split('/').pop()!)
		expect(await paymentOf(id)).toMatchObject({ userId: user.id, resellerId: null, amount: 750_000n })
		const sent = await call(accountPage.action, receiptRequest(`/account/wallet/${id}`, cookie, receiptFields(750_000n, nextCode()), await receiptPng()), { id: String(id) })
		expect(sent.status).toBe(302)
		const [a, b] = await Promise.all([decide(admin.cookie, id, 'approve'), decide(admin2.cookie, id, 'approve')])
		expect([a.status, b.status].sort()).toEqual([302, 409])
		const wallet = await call(accountWallet.loader, getPage('/account/wallet', cookie))
		expect(wallet.data.balance).toBe(750_000n)
		expect(await prisma.ledgerEntry.count({ where: { userId: user.id, refType: 'payment', refId: String(id) } })).toBe(1)
		// the decision is addressed to him (audience 'user': /account and his Telegram), once
		expect(await prisma.notification.count({ where: { audience: 'user', userId: user.id, kind: 'payment_approved' } })).toBe(1)
	})
})
