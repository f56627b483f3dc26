// The audit log (issue 14, MISSION rule 18): money movements and remote changes land in
// audit_events with actor and before/after — through the real writers (the ledger, the payment
// state machine, enforcement, router actions) — and /admin/audit filters them and pages them by
// keyset without gaps or duplicates. Admin only.
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, test } from 'vitest'
import * as audit from '~/routes/admin+/audit'
import * as resellerPage from '~/routes/admin+/resellers.$id'
import { moveWalletMoney } from '~/services/billing/ledger.server'
import { evaluateCustomers } from '~/services/enforcement.server'
import { transition } from '~/services/payments/transition.server'
import { prisma } from '~/utils/db.server'
import { GB } from '~/utils/money'
import { act } from '../billing-admin/helpers'
import { call, get } from '../console/helpers'
import { createUser, loginAs } from '../factories'

type Page = Awaited<ReturnType<typeof audit.loader>>
let admin: Awaited<ReturnType<typeof loginAs>>
beforeAll(async () => {
	admin = await loginAs('admin')
})

async function page(query: string, cookie = admin.cookie) {
	const r = await call<Page>(audit.loader, get(`/admin/audit${query}`, cookie))
	expect(r.status).toBe(200)
	return r.data
}
const DAY = 86_400_000
const event = (data: { action: string; at?: Date; actorId?: number | null; entityType?: string; entityId?: string }) =>
	prisma.auditEvent.create({ data: { action: data.action, at: data.at, actorId: data.actorId ?? null, entityType: data.entityType ?? 'test', entityId: data.entityId ?? null } })

describe('what is audited', () => {
	test('a manual adjustment: the admin form event and the wallet movement with balance before/after', async () => {
		const user = await createUser('reseller')
		const r = await prisma.reseller.create({ data: { userId: user.id, name: 'Audited', currency: 'USD' } })
		for (const amount of ['10', '2.50']) {
			const res = await act(resellerPage, `/admin/resellers/${r.id}`, { intent: 'adjust', account: 'money', direction: 'credit', amount, note: 'audit', idempotencyKey: randomUUID() }, admin.cookie, { id: String(r.id) })
			expect(res.status).toBe(302)
		}
		const money = await prisma.auditEvent.findMany({ where: { action: 'ledger.adjustment_credit', entityType: 'wallet', entityId: `wallet:reseller:${r.id}` }, orderBy: { id: 'asc' } })
		expect(money.map((e) => [e.actorId, e.before, (e.after as Record<string, unknown>).balance, (e.after as Record<string, unknown>).amount, (e.after as Record<string, unknown>).currency])).toEqual([
			[admin.user.id, { balance: '0' }, '1000', '1000', 'USD'],
			[admin.user.id, { balance: '1000' }, '1250', '250', 'USD'],
		])
		// one event per movement: the counter leg (cash:manual) is the same movement's other side
		expect(await prisma.auditEvent.count({ where: { action: { startsWith: 'ledger.' }, entityType: 'wallet', entityId: { endsWith: `:reseller:${r.id}` } } })).toBe(2)
		// the reseller's own history (his admin page) stays his profile and adjustments
		expect((await prisma.auditEvent.findMany({ where: { entityType: 'reseller', entityId: String(r.id) } })).map((e) => e.action)).toEqual(['reseller.adjust', 'reseller.adjust'])
	})

	test("an end user's wallet movement and a payment's status changes", async () => {
		const payer = await createUser('customer')
		const payment = await prisma.payment.create({ data: { userId: payer.id, channel: 'card', status: 'submitted', amount: 500_000n, expiresAt: new Date(Date.now() + DAY) } })
		await prisma.$transaction(async (tx) => {
			expect(await transition(tx, payment.id, ['submitted'], 'settled', admin.user.id, { note: 'looks fine' })).not.toBeNull()
			await moveWalletMoney(tx, { wallet: { userId: payer.id }, amount: 500_000n, counter: 'cash:manual', kind: 'top_up', refType: 'payment', refId: String(payment.id), actorId: admin.user.id, idempotencyKey: `audit-test:${payment.id}` })
		})
		const rows = await prisma.auditEvent.findMany({ where: { OR: [{ entityType: 'payment', entityId: String(payment.id) }, { entityType: 'wallet', entityId: `wallet:user:${payer.id}` }] }, orderBy: { id: 'asc' } })
		expect(rows.map((e) => [e.action, e.actorId, e.before, e.after])).toEqual([
			['payment.settled', admin.user.id, { status: 'submitted' }, { status: 'settled', note: 'looks fine' }],
			['ledger.top_up', admin.user.id, { balance: '0' }, expect.objectContaining({ balance: '500000', amount: '500000', currency: 'IRR', refType: 'payment', refId: String(payment.id) })],
		])
	})

	test('an automatic disable (system, no actor) is audited; a reseller-made customer event is not copied twice', async () => {
		const c = await prisma.customer.create({ data: { username: `a${randomUUID().slice(0, 8)}`, dataLimitBytes: GB, usedBytes: GB + 1n, expireAt: new Date(Date.now() + DAY), subToken: randomUUID() } })
		expect(await evaluateCustomers([c.id])).toEqual({ disabled: 1, enabled: 0 })
		await prisma.customerEvent.create({ data: { customerId: c.id, kind: 'manual_disabled', reason: 'manual', actorId: admin.user.id } })
		const rows = await prisma.auditEvent.findMany({ where: { entityType: 'customer', entityId: String(c.id) } })
		expect(rows.map((e) => [e.action, e.actorId, e.after])).toEqual([['customer.auto_disabled', null, { reason: 'quota' }]])
	})

	test('a router peer enable/disable sent to a router is audited with what was read back', async () => {
		const router = await prisma.router.create({ data: { name: 'R', transport: 'rest', secrets: 'v1.test' } })
		const peer = await prisma.routerPeer.create({ data: { routerId: router.id, interface: 'wg0', publicKey: randomUUID() } })
		await prisma.routerAction.create({ data: { routerId: router.id, peerId: peer.id, action: 'disable', reason: 'quota', result: 'ok', readBack: 'true' } })
		const rows = await prisma.auditEvent.findMany({ where: { entityType: 'router_peer', entityId: String(peer.id) } })
		expect(rows.map((e) => [e.action, e.actorId, e.after])).toEqual([['router.peer.disable', null, { disabled: true, reason: 'quota', result: 'ok', readBack: 'true', routerId: router.id }]])
	})
})

describe('/admin/audit filters', () => {
	test('kind (one action or a whole group), actor, system, entity, date range in Gregorian and Jalali', async () => {
		const actor = await createUser('admin', { username: `Auditor_${randomUUID().slice(0, 6)}` })
		const tag = randomUUID().slice(0, 8)
		const d = (iso: string) => new Date(iso)
		const a = await event({ action: 'plan.create', at: d('2026-11-20T10:00:00Z'), actorId: actor.id, entityType: 'plan', entityId: tag })
		const b = await event({ action: 'plan.update', at: d('2026-11-21T23:59:00Z'), actorId: actor.id, entityType: 'plan', entityId: tag })
		const c = await event({ action: 'node.create', at: d('2026-11-22T00:00:00Z'), actorId: null, entityType: 'plan', entityId: tag })
		const ids = (p: Page) => p.rows.map((r) => r.id)
		const q = (extra: string) => page(`?entityType=plan&entityId=${tag}${extra}`)
		expect(ids(await q(''))).toEqual([c, b, a].map((e) => String(e.id)))
		expect(ids(await q('&kind=plan.update'))).toEqual([String(b.id)])
		expect(ids(await q('&kind=plan'))).toEqual([b, a].map((e) => String(e.id)))
		expect(ids(await q(`&actor=${actor.username.toUpperCase()}`))).toEqual([b, a].map((e) => String(e.id)))
		expect(ids(await q('&system=1'))).toEqual([String(c.id)])
		expect(ids(await q('&from=2026-11-21&to=2026-11-21'))).toEqual([String(b.id)])
		// 1405/09/01 = 2026-11-22 (Jalali, Persian digits as a Persian admin types them)
		expect(ids(await q('&from=۱۴۰۵/۰۹/۰۱'))).toEqual([String(c.id)])
		expect(ids(await q('&to=1405/08/30'))).toEqual([b, a].map((e) => String(e.id)))
		const shown = (await q('&kind=plan.update')).rows[0]!
		expect(shown).toMatchObject({ action: 'plan.update', actor: actor.username, entityType: 'plan', entityId: tag })
	})

	test('unreadable filters are ignored, never a 500', async () => {
		const tag = randomUUID().slice(0, 8)
		const e = await event({ action: 'plan.create', entityType: 'plan', entityId: tag })
		for (const bad of ['&kind=no.such.action', '&from=1405/13/40', '&to=yesterday', '&before=abc', '&before=99999999999999999999999', '&actor=%E2%80%AE', '&entityId=' + 'x'.repeat(300), '&system=yes'])
			expect([bad, (await page(`?entityType=plan&entityId=${tag}${bad}`)).rows.map((r) => r.id)]).toEqual([bad, [String(e.id)]])
	})
})

describe('/admin/audit keyset pages', () => {
	test('walking ?before= visits every row once, newest first, even while new rows arrive', async () => {
		const tag = randomUUID().slice(0, 8)
		const made: string[] = []
		for (let i = 0; i < 120; i++) made.push(String((await event({ action: 'job.retry', entityType: 'job', entityId: tag })).id))
		const seen: string[] = []
		let before: string | null = null
		let pages = 0
		do {
			const p: Page = await page(`?entityType=job&entityId=${tag}${before ? `&before=${before}` : ''}`)
			seen.push(...p.rows.map((r) => r.id))
			before = p.nextBefore
			pages++
			// a row written between two pages is newer than every cursor: it never shifts a page
			await event({ action: 'job.retry', entityType: 'job', entityId: tag })
		} while (before)
		expect(pages).toBe(3)
		expect(seen).toEqual([...made].reverse())
		expect(new Set(seen).size).toBe(120)
	})
})

describe('/admin/audit authorisation', () => {
	test('resellers and end users get 403, anonymous visitors the login page', async () => {
		for (const role of ['reseller', 'customer'] as const) {
			const { cookie } = await loginAs(role)
			expect([role, (await call(audit.loader, get('/admin/audit', cookie))).status]).toEqual([role, 403])
		}
		const anon = await call(audit.loader, get('/admin/audit'))
		expect(anon.status).toBe(302)
		expect(anon.location).toMatch(/^\/login/)
	})
})
