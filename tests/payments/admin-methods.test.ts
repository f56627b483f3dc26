// Admin payment methods through the real routes: create, list with today's usage, edit,
// deactivate; bad input is a translated 400 with nothing written; other roles get 403.
import { beforeAll, describe, expect, test } from 'vitest'
import * as edit from '~/routes/admin+/payment-methods.$id'
import * as create from '~/routes/admin+/payment-methods.new'
import * as list from '~/routes/admin+/payment-methods'
import { reserveMethod } from '~/services/payments/rotation.server'
import { prisma } from '~/utils/db.server'
import { act, idFrom, load } from '../billing-admin/helpers'
import { loginAs } from '../factories'

let admin: { cookie: string }
beforeAll(async () => {
	admin = await loginAs('admin')
})

const validCard = () => ({ kind: 'card', alias: 'Melli main', cardNumber: '۶۰۳۷-۹۹۰۰-۰۰۰۰-۰۰۰۶', holder: 'Ali Rezaei', bank: 'Melli', priority: '1', dailyCountLimit: '4', dailyAmountLimit: '10000000', activeFrom: '', activeTo: '', active: 'on' })
const createMethod = (fields: Record<string, string>) => act(create, '/admin/payment-methods/new', fields, admin.cookie)

describe('payment method CRUD', () => {
	test('create normalises the card and audits; the list shows today\'s usage against the limits', async () => {
		const r = await createMethod(validCard())
		expect(r.status).toBe(302)
		const id = idFrom(r.location)
		const m = await prisma.paymentMethod.findUniqueOrThrow({ where: { id } })
		expect(m).toMatchObject({ kind: 'card', alias: 'Melli main', priority: 1, dailyCountLimit: 4, dailyAmountLimit: 10_000_000n, active: true, details: { number: '6037990000000006', holder: 'Ali Rezaei', bank: 'Melli' } })
		expect(await prisma.auditEvent.count({ where: { entityType: 'payment_method', entityId: String(id), action: 'payment_method.create' } })).toBe(1)

		await prisma.paymentMethod.updateMany({ where: { id: { not: id } }, data: { active: false } })
		expect((await reserveMethod({ kind: 'card', amount: 2_500_000n }))?.method.id).toBe(id)
		const page = (await load(list, '/admin/payment-methods?q=melli', admin.cookie)) as Awaited<ReturnType<typeof list.loader>>
		expect(page.rows.find((row) => row.id === id)).toMatchObject({ usedCount: 1, usedAmount: 2_500_000n })
	})

	test('edit (kind stays fixed), deactivate and activate', async () => {
		const id = idFrom((await createMethod(validCard())).location)
		const call = (fields: Record<string, string>) => act(edit, `/admin/payment-methods/${id}`, fields, admin.cookie, { id: String(id) })
		const form = (await load(edit, `/admin/payment-methods/${id}`, admin.cookie, { id: String(id) })) as Awaited<ReturnType<typeof edit.loader>>
		expect(form.defaults).toMatchObject({ kind: 'card', cardNumber: '6037990000000006', dailyCountLimit: '4', activeFrom: '' })

		expect((await call({ ...validCard(), intent: 'save', kind: 'iban', alias: 'Melli night', activeFrom: '۲۲:۰۰', activeTo: '06:00' })).status).toBe(302)
		expect(await prisma.paymentMethod.findUniqueOrThrow({ where: { id } })).toMatchObject({ kind: 'card', alias: 'Melli night', activeFrom: 1320, activeTo: 360 })
		const again = (await load(edit, `/admin/payment-methods/${id}`, admin.cookie, { id: String(id) })) as Awaited<ReturnType<typeof edit.loader>>
		expect(again.defaults).toMatchObject({ activeFrom: '22:00', activeTo: '06:00' })

		expect((await call({ intent: 'deactivate' })).status).toBe(302)
		expect((await prisma.paymentMethod.findUniqueOrThrow({ where: { id } })).active).toBe(false)
		expect((await call({ intent: 'activate' })).status).toBe(302)
		expect((await prisma.paymentMethod.findUniqueOrThrow({ where: { id } })).active).toBe(true)
		expect((await call({ intent: 'launch' })).status).toBe(400)
	})

	test('a sheba and a crypto wallet', async () => {
		const sheba = await createMethod({ kind: 'iban', alias: 'Saman sheba', sheba: 'IR06 2960 0000 0010 0324 2000 01', holder: 'Ali', bank: 'Saman' })
		expect(sheba.status).toBe(302)
		expect((await prisma.paymentMethod.findUniqueOrThrow({ where: { id: idFrom(sheba.location) } })).details).toEqual({ sheba: 'IR062960000000100324200001', holder: 'Ali', bank: 'Saman' })
		const wallet = await createMethod({ kind: 'crypto', alias: 'USDT', asset: 'USDT', network: 'TRC20', address: 'TXYZabc123456789' })
		expect(wallet.status).toBe(302)
	})
})

describe('bad input → 400 with the translation key, nothing written', () => {
	test.each([
		['bad Luhn', { cardNumber: '6037990000000007' }, 'payments.errors.luhn'],
		['short card', { cardNumber: '60379900' }, 'payments.errors.cardLength'],
		['bad sheba', { kind: 'iban', sheba: 'IR062960000000100324200002' }, 'payments.errors.shebaChecksum'],
		['unknown network', { kind: 'crypto', asset: 'USDT', network: 'DOGE', address: 'abc' }, 'payments.errors.network'],
		['min above max', { minAmount: '500', maxAmount: '100' }, 'adminBilling.errors.minMax'],
		['zero limit', { dailyCountLimit: '0' }, 'errors.positive'],
		['bad clock', { activeFrom: '8 am', activeTo: '17:00' }, 'payments.errors.clock'],
		['bidi alias', { alias: 'card\u202e1' }, 'errors.bidiChars'],
		['10 kB alias', { alias: 'x'.repeat(10_240) }, 'errors.tooLong'],
	])('%s', async (_name, over, key) => {
		const before = await prisma.paymentMethod.count()
		const r = await createMethod({ ...validCard(), ...over })
		expect(r.status).toBe(400)
		expect(r.body).toContain(key)
		expect(await prisma.paymentMethod.count()).toBe(before)
	})

	test('an id that is not a method is a 404', async () => {
		expect(((await load(edit, '/admin/payment-methods/999999', admin.cookie, { id: '999999' })) as Response).status).toBe(404)
		expect(((await load(edit, '/admin/payment-methods/abc', admin.cookie, { id: 'abc' })) as Response).status).toBe(404)
	})
})

describe('access', () => {
	test.each(['reseller', 'customer'] as const)('%s gets 403 from every loader and action; nothing written', async (role) => {
		const { cookie } = await loginAs(role)
		const m = await prisma.paymentMethod.create({ data: { kind: 'card', alias: 'guarded', details: { number: '6037990000000006', holder: 'H', bank: 'B' } } })
		const before = await prisma.paymentMethod.count()
		expect(((await load(list, '/admin/payment-methods', cookie)) as Response).status).toBe(403)
		expect(((await load(create, '/admin/payment-methods/new', cookie)) as Response).status).toBe(403)
		expect(((await load(edit, `/admin/payment-methods/${m.id}`, cookie, { id: String(m.id) })) as Response).status).toBe(403)
		expect((await act(create, '/admin/payment-methods/new', validCard(), cookie)).status).toBe(403)
		expect((await act(edit, `/admin/payment-methods/${m.id}`, { intent: 'deactivate' }, cookie, { id: String(m.id) })).status).toBe(403)
		expect(await prisma.paymentMethod.count()).toBe(before)
		expect((await prisma.paymentMethod.findUniqueOrThrow({ where: { id: m.id } })).active).toBe(true)
	})
})
