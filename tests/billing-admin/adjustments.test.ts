// Manual adjustments and the ledger view: posted through the ledger's single writer, once per
// form, refused past the credit limit, and the balance always equals the sum of the entries.
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, test } from 'vitest'
import * as ledger from '~/routes/admin+/resellers.$id.ledger'
import * as page from '~/routes/admin+/resellers.$id'
import { prisma } from '~/utils/db.server'
import { GB } from '~/utils/money'
import { createUser, loginAs } from '../factories'
import { act, expectBalanceEqualsLedger, load } from './helpers'

let admin: { cookie: string; user: { id: number } }
beforeAll(async () => {
	admin = await loginAs('admin')
})

async function makeReseller(over: { creditLimit?: bigint; currency?: string; fundingModel?: 'wallet' | 'pool' } = {}) {
	const user = await createUser('reseller')
	return prisma.reseller.create({ data: { userId: user.id, name: `R ${user.username}`, creditLimit: over.creditLimit ?? 0n, currency: over.currency ?? 'USD', fundingModel: over.fundingModel ?? 'wallet' } })
}

function adjust(id: number, fields: Partial<Record<'account' | 'direction' | 'amount' | 'note' | 'idempotencyKey', string>>, cookie = admin.cookie) {
	return act(page, `/admin/resellers/${id}`, { intent: 'adjust', account: 'money', direction: 'credit', amount: '1', note: 'test', idempotencyKey: randomUUID(), ...fields }, cookie, { id: String(id) })
}
const balance = async (id: number) => (await prisma.reseller.findUniqueOrThrow({ where: { id } })).balance

describe('adjustments', () => {
	test('credit then debit: entries with before/after, actor, note, reference; audited; balance = sum', async () => {
		const r = await makeReseller()
		expect((await adjust(r.id, { amount: '25.50', note: 'opening credit' })).status).toBe(302)
		expect((await adjust(r.id, { direction: 'debit', amount: '۵', note: 'correction' })).status).toBe(302)
		expect(await balance(r.id)).toBe(2050n)
		const entries = await prisma.ledgerEntry.findMany({ where: { resellerId: r.id }, orderBy: { id: 'asc' } })
		expect(entries.map((e) => [e.kind, e.amount, e.balanceBefore, e.balanceAfter, e.note, e.actorId, e.refType, e.currency])).toEqual([
			['adjustment_credit', 2550n, 0n, 2550n, 'opening credit', admin.user.id, 'adjustment', 'USD'],
			['adjustment_debit', -500n, 2550n, 2050n, 'correction', admin.user.id, 'adjustment', 'USD'],
		])
		const events = await prisma.auditEvent.findMany({ where: { entityType: 'reseller', entityId: String(r.id), action: 'reseller.adjust' }, orderBy: { id: 'asc' } })
		expect(events).toHaveLength(2)
		expect(entries.map((e) => e.refId)).toEqual(events.map((e) => String(e.id)))
		const view = (await load(page, `/admin/resellers/${r.id}`, admin.cookie, { id: String(r.id) })) as Awaited<ReturnType<typeof page.loader>>
		expect(view.reseller.balance).toBe(2050n)
		expect(view.history.filter((h) => h.action === 'reseller.adjust')).toHaveLength(2)
		await expectBalanceEqualsLedger(r.id)
	})

	test('a debit past the credit limit is refused with 400; balance and ledger unchanged', async () => {
		const r = await makeReseller({ creditLimit: 1000n })
		await adjust(r.id, { amount: '5' })
		const res = await adjust(r.id, { direction: 'debit', amount: '15.01', note: 'too much' })
		expect(res.status).toBe(400)
		expect(res.body).toContain('adminBilling.errors.insufficient_funds')
		expect(await balance(r.id)).toBe(500n)
		expect(await prisma.ledgerEntry.count({ where: { resellerId: r.id } })).toBe(1)
		expect(await prisma.auditEvent.count({ where: { entityType: 'reseller', entityId: String(r.id), action: 'reseller.adjust' } })).toBe(1)
		// exactly down to the limit is allowed
		expect((await adjust(r.id, { direction: 'debit', amount: '15' })).status).toBe(302)
		expect(await balance(r.id)).toBe(-1000n)
		expect((await prisma.reseller.findUniqueOrThrow({ where: { id: r.id } })).negativeSince).not.toBeNull()
		await expectBalanceEqualsLedger(r.id)
	})

	test('traffic in GB: credit and debit of the pool; past zero is refused', async () => {
		const r = await makeReseller({ fundingModel: 'pool' })
		expect((await adjust(r.id, { account: 'traffic', amount: '100', note: 'pool' })).status).toBe(302)
		expect((await adjust(r.id, { account: 'traffic', direction: 'debit', amount: '30' })).status).toBe(302)
		const refused = await adjust(r.id, { account: 'traffic', direction: 'debit', amount: '71' })
		expect(refused.status).toBe(400)
		expect(refused.body).toContain('adminBilling.errors.pool_exhausted')
		const row = await prisma.reseller.findUniqueOrThrow({ where: { id: r.id } })
		expect(row.poolBytes).toBe(70n * GB)
		expect(row.balance).toBe(0n)
		await expectBalanceEqualsLedger(r.id)
	})

	test('a double-submitted form posts exactly one entry (one after the other and at the same time)', async () => {
		const r = await makeReseller()
		const key = randomUUID()
		const first = await adjust(r.id, { amount: '10', idempotencyKey: key })
		const second = await adjust(r.id, { amount: '10', idempotencyKey: key })
		expect([first.status, second.status]).toEqual([302, 302])
		expect(second.location).toBe(first.location)
		const both = await Promise.all([0, 1, 2].map(() => adjust(r.id, { amount: '7', idempotencyKey: 'same-key-twice' })))
		expect(both.map((b) => b.status)).toEqual([302, 302, 302])
		expect(await prisma.ledgerEntry.count({ where: { resellerId: r.id } })).toBe(2)
		expect(await balance(r.id)).toBe(1700n)
		expect(await prisma.auditEvent.count({ where: { entityType: 'reseller', entityId: String(r.id), action: 'reseller.adjust' } })).toBe(2)
		// the same key on another reseller is another adjustment (keys are scoped per reseller)
		const other = await makeReseller()
		expect((await adjust(other.id, { amount: '1', idempotencyKey: key })).status).toBe(302)
		expect(await balance(other.id)).toBe(100n)
		await expectBalanceEqualsLedger(r.id)
		await expectBalanceEqualsLedger(other.id)
	})

	test.each([
		['missing note', { note: '' }, 'errors.required'],
		['10 kB note', { note: 'n'.repeat(10_240) }, 'errors.tooLong'],
		['zero amount', { amount: '0' }, 'errors.positive'],
		['negative amount', { amount: '-5' }, 'errors.positive'],
		['non-numeric amount', { amount: 'lots' }, 'adminBilling.errors.money'],
		['too many decimals', { amount: '1.001' }, 'adminBilling.errors.money'],
		['fractional GB', { account: 'traffic', amount: '1.5' }, 'errors.integer'],
		['unknown account', { account: 'gold' }, 'errors.required'],
		['unknown direction', { direction: 'sideways' }, 'errors.required'],
		['bad idempotency key', { idempotencyKey: 'x' }, 'errors.invalid'],
	] as const)('%s → 400 with the key, nothing posted', async (_name, patch, key) => {
		const r = await makeReseller()
		const res = await adjust(r.id, patch)
		expect(res.status).toBe(400)
		expect(res.body).toContain(key)
		expect(await prisma.ledgerEntry.count({ where: { resellerId: r.id } })).toBe(0)
		expect(await balance(r.id)).toBe(0n)
	})

	test('an unknown intent is a 400; unknown reseller ids are 404', async () => {
		const r = await makeReseller()
		expect((await act(page, `/admin/resellers/${r.id}`, { intent: 'explode' }, admin.cookie, { id: String(r.id) })).status).toBe(400)
		expect((await adjust(999_999, {})).status).toBe(404)
		expect(((await load(ledger, '/admin/resellers/999999/ledger', admin.cookie, { id: '999999' })) as Response).status).toBe(404)
	})
})

describe('ledger view', () => {
	type Page = Awaited<ReturnType<typeof ledger.loader>>
	const view = async (id: number, query = '') => (await load(ledger, `/admin/resellers/${id}/ledger${query}`, admin.cookie, { id: String(id) })) as Page

	test('newest first; filters by account, kind, dates and note; keyset pages; only this reseller', async () => {
		const r = await makeReseller({ creditLimit: 100_000n })
		const other = await makeReseller()
		await adjust(other.id, { amount: '3', note: 'not his' })
		for (let i = 0; i < 26; i++) await adjust(r.id, { amount: '1', note: `credit ${i}` })
		await adjust(r.id, { direction: 'debit', amount: '2', note: 'a debit' })
		await adjust(r.id, { account: 'traffic', amount: '5', note: 'some traffic' })

		const first = await view(r.id)
		expect(first.rows).toHaveLength(25)
		expect(first.rows[0]!.note).toBe('some traffic')
		expect(first.rows.every((e) => e.resellerId === r.id)).toBe(true)
		expect(first.rows[0]!.actor).toBe((await prisma.user.findFirstOrThrow({ where: { id: admin.user.id } })).username)
		expect(JSON.stringify(first, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain('idempotencyKey')
		expect(first.nextCursor).not.toBeNull()
		const second = await view(r.id, `?after=${first.nextCursor}`)
		expect(second.rows).toHaveLength(3)
		expect(second.nextCursor).toBeNull()
		const ids = [...first.rows, ...second.rows].map((e) => e.id)
		expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : 1)))

		expect((await view(r.id, '?account=traffic')).rows.map((e) => e.note)).toEqual(['some traffic'])
		expect((await view(r.id, '?account=money')).rows.length + (await view(r.id, `?account=money&after=${(await view(r.id, '?account=money')).nextCursor}`)).rows.length).toBe(27)
		expect((await view(r.id, '?kind=adjustment_debit')).rows.map((e) => e.amount)).toEqual([-200n])
		expect((await view(r.id, '?q=credit%2025')).rows.map((e) => e.note)).toEqual(['credit 25'])
		const today = new Date().toISOString().slice(0, 10)
		const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
		const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)
		expect((await view(r.id, `?from=${today}&to=${today}&kind=adjustment_debit`)).rows).toHaveLength(1)
		expect((await view(r.id, `?from=${tomorrow}`)).rows).toHaveLength(0)
		expect((await view(r.id, `?to=${yesterday}`)).rows).toHaveLength(0)
		// unreadable filters are ignored rather than failing
		const loose = await view(r.id, '?account=gold&kind=nope&from=yesterday&after=-4')
		expect(loose.rows).toHaveLength(25)
		expect(loose.filters).toMatchObject({ account: undefined, kind: undefined, from: undefined })
		await expectBalanceEqualsLedger(r.id)
		await expectBalanceEqualsLedger(other.id)
	})

	test('non-admins get 403 from the ledger loader and the adjust action; nothing posted', async () => {
		const r = await makeReseller()
		for (const role of ['reseller', 'customer'] as const) {
			const { cookie } = await loginAs(role)
			expect(((await load(ledger, `/admin/resellers/${r.id}/ledger`, cookie, { id: String(r.id) })) as Response).status).toBe(403)
			expect((await adjust(r.id, { amount: '1000' }, cookie)).status).toBe(403)
		}
		expect(await prisma.ledgerEntry.count({ where: { resellerId: r.id } })).toBe(0)
	})
})
