// Rotation with reservation through real Postgres: limits move payers to the next card, then to
// none; concurrent payers never overshoot a card; expiry, release and the Tehran day free room;
// active hours; the 80 % and exhausted alerts come once each. Every clock is passed as `now`.
import { beforeEach, describe, expect, test } from 'vitest'
import type { Prisma } from '~/generated/prisma/client'
import { releaseReservation, reserveMethod } from '~/services/payments/rotation.server'
import { prisma } from '~/utils/db.server'

// Tehran is UTC+03:30 all year (no DST since 2022): 08:30 UTC is noon in Tehran.
const NOON = new Date('2026-06-10T08:30:00Z')
const tehran = (date: string, hhmm: string) => new Date(new Date(`${date}T${hhmm}:00Z`).getTime() - 210 * 60_000)
const MIN = 60_000

let seq = 0
function makeCard(over: Partial<Prisma.PaymentMethodCreateInput> = {}) {
	seq++
	return prisma.paymentMethod.create({ data: { kind: 'card', alias: `card ${seq}`, details: { number: '6037990000000006', holder: 'H', bank: 'B' }, ...over } })
}
const reserve = (over: { amount?: bigint; now?: Date; validForMs?: number } = {}) => reserveMethod({ kind: 'card', amount: 1_000_000n, now: NOON, ...over })

// each test starts with no active card (the file's database is shared by its tests)
beforeEach(async () => {
	await prisma.paymentMethod.updateMany({ data: { active: false } })
})

describe('rotation', () => {
	test('a reached limit moves payers to the next card, then to none', async () => {
		const a = await makeCard({ priority: 1, dailyCountLimit: 2 })
		const b = await makeCard({ priority: 2, dailyAmountLimit: 1_500_000n })
		const picks = []
		for (let i = 0; i < 4; i++) picks.push((await reserve())?.method.id ?? null)
		expect(picks).toEqual([a.id, a.id, b.id, null])
		// a smaller amount still fits what is left of b's amount limit
		expect((await reserve({ amount: 500_000n }))?.method.id).toBe(b.id)
	})

	test('equal priorities share the load: least used today first', async () => {
		const a = await makeCard({ priority: 1 })
		const b = await makeCard({ priority: 1 })
		const picks = []
		for (let i = 0; i < 4; i++) picks.push((await reserve())!.method.id)
		expect(picks).toEqual([a.id, b.id, a.id, b.id])
	})

	test('min and max per payment, inactive methods and other kinds are skipped', async () => {
		const small = await makeCard({ priority: 1, maxAmount: 500_000n })
		const big = await makeCard({ priority: 2, minAmount: 2_000_000n })
		await makeCard({ priority: 0, active: false })
		await prisma.paymentMethod.create({ data: { kind: 'iban', alias: 'sheba', priority: 0, details: { sheba: 'IR062960000000100324200001', holder: 'H', bank: 'B' } } })
		expect((await reserve({ amount: 400_000n }))?.method.id).toBe(small.id)
		expect((await reserve({ amount: 3_000_000n }))?.method.id).toBe(big.id)
		expect(await reserve({ amount: 1_000_000n })).toBeNull()
	})

	test('20 concurrent payers against a card with room for 5: exactly 5 there, the rest on the next card or none', async () => {
		const a = await makeCard({ priority: 1, dailyCountLimit: 5 })
		const b = await makeCard({ priority: 2, dailyAmountLimit: 10_000_000n })
		const results = await Promise.all(Array.from({ length: 20 }, () => reserve()))
		const on = (id: number) => results.filter((r) => r?.method.id === id).length
		expect(on(a.id)).toBe(5)
		expect(on(b.id)).toBe(10)
		expect(results.filter((r) => r === null)).toHaveLength(5)
		expect(await prisma.paymentReservation.count({ where: { methodId: a.id } })).toBe(5)
		expect(await prisma.paymentReservation.count({ where: { methodId: b.id } })).toBe(10)
	})

	test('an expired or released reservation frees room; a used one keeps it', async () => {
		const a = await makeCard({ dailyCountLimit: 1 })
		const first = await reserve({ validForMs: 10 * MIN })
		expect(first?.method.id).toBe(a.id)
		expect(await reserve({ now: new Date(NOON.getTime() + 9 * MIN) })).toBeNull()
		const second = await reserve({ now: new Date(NOON.getTime() + 11 * MIN) })
		expect(second?.method.id).toBe(a.id)

		expect(await releaseReservation(second!.reservation.id)).toBe(true)
		expect(await releaseReservation(second!.reservation.id)).toBe(false)
		const third = await reserve({ now: new Date(NOON.getTime() + 12 * MIN), validForMs: 10 * MIN })
		expect(third?.method.id).toBe(a.id)
		// a payment used it: it counts for the rest of the day, expired or not
		await prisma.paymentReservation.update({ where: { id: third!.reservation.id }, data: { usedAt: new Date(NOON.getTime() + 15 * MIN), paymentRef: 'payment:1' } })
		expect(await releaseReservation(third!.reservation.id)).toBe(false)
		expect(await reserve({ now: new Date(NOON.getTime() + 60 * MIN) })).toBeNull()
	})

	test('the day starts at midnight Tehran: 23:59 yesterday does not count today', async () => {
		const a = await makeCard({ dailyCountLimit: 1 })
		expect((await reserve({ now: tehran('2026-06-09', '23:59') }))?.method.id).toBe(a.id)
		// still yesterday (and unexpired): full
		expect(await reserve({ now: new Date(tehran('2026-06-09', '23:59').getTime() + 30_000) })).toBeNull()
		// the same reservation is still unexpired at 00:05, but belongs to yesterday
		expect((await reserve({ now: tehran('2026-06-10', '00:05') }))?.method.id).toBe(a.id)
		expect(await reserve({ now: tehran('2026-06-10', '00:06') })).toBeNull()
	})

	test('active hours in Tehran time, including a window past midnight', async () => {
		const day = await makeCard({ priority: 1, activeFrom: 8 * 60, activeTo: 17 * 60 })
		const night = await makeCard({ priority: 2, activeFrom: 22 * 60, activeTo: 6 * 60 })
		expect((await reserve({ now: tehran('2026-06-10', '08:00') }))?.method.id).toBe(day.id)
		expect((await reserve({ now: tehran('2026-06-10', '16:59') }))?.method.id).toBe(day.id)
		expect(await reserve({ now: tehran('2026-06-10', '17:00') })).toBeNull()
		expect((await reserve({ now: tehran('2026-06-10', '23:30') }))?.method.id).toBe(night.id)
		expect((await reserve({ now: tehran('2026-06-11', '05:59') }))?.method.id).toBe(night.id)
		expect(await reserve({ now: tehran('2026-06-11', '07:00') })).toBeNull()
	})
})

describe('limit alerts', () => {
	const alerts = (methodId: number) => prisma.notification.findMany({ where: { audience: 'admin', kind: { in: ['payment_method_limit', 'payment_method_exhausted'] }, data: { path: ['methodId'], equals: methodId } }, orderBy: { id: 'asc' } })

	test('80 % of a limit and exhausted: once each per method and Tehran day', async () => {
		const a = await makeCard({ alias: 'Mellat 1', dailyCountLimit: 5 })
		for (let i = 0; i < 3; i++) await reserve()
		expect(await alerts(a.id)).toEqual([])
		await reserve() // 4 of 5 = 80 %
		expect((await alerts(a.id)).map((n) => n.kind)).toEqual(['payment_method_limit'])
		await reserve() // 5 of 5
		expect(await reserve()).toBeNull()
		const day = await alerts(a.id)
		expect(day.map((n) => n.kind)).toEqual(['payment_method_limit', 'payment_method_exhausted'])
		expect(day[0]!.data).toMatchObject({ alias: 'Mellat 1', day: '2026-06-10', percent: 80 })

		// the next Tehran day alerts again
		const tomorrow = new Date(NOON.getTime() + 86_400_000)
		for (let i = 0; i < 5; i++) await reserve({ now: tomorrow })
		expect((await alerts(a.id)).map((n) => n.kind)).toEqual(['payment_method_limit', 'payment_method_exhausted', 'payment_method_limit', 'payment_method_exhausted'])
	})

	test('an amount limit is exhausted when what is left is below the minimum payment', async () => {
		const a = await makeCard({ dailyAmountLimit: 10_000_000n, minAmount: 1_000_000n })
		await reserve({ amount: 7_000_000n })
		expect(await alerts(a.id)).toEqual([])
		await reserve({ amount: 2_500_000n }) // 95 %, 500,000 left < minimum
		expect((await alerts(a.id)).map((n) => n.kind)).toEqual(['payment_method_limit', 'payment_method_exhausted'])
	})
})
