// Local days and billing cycles: Asia/Tehran (UTC+03:30, no DST since 2022), Jalali months whose
// lengths come from Intl's persian calendar, reset days clamped to short months.
import { describe, expect, test } from 'vitest'
import { cycleStart, localDay, localMidnight, monthLength, nextCycleStart } from '~/services/routers/calendar'

const tehran = (resetDay: number, calendar: 'jalali' | 'gregorian' = 'jalali') => ({ timezone: 'Asia/Tehran', resetDay, calendar })

describe('local days', () => {
	test('a Tehran midnight is 20:30 UTC the evening before', () => {
		expect(localDay(new Date('2026-12-21T20:29:59Z'), 'Asia/Tehran')).toBe('2026-12-21')
		expect(localDay(new Date('2026-12-21T20:30:00Z'), 'Asia/Tehran')).toBe('2026-12-22')
		expect(localMidnight('2026-12-22', 'Asia/Tehran').toISOString()).toBe('2026-12-21T20:30:00.000Z')
	})
	test('midnight in a zone with DST (New York, the day clocks spring forward)', () => {
		expect(localMidnight('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z')
		expect(localMidnight('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z')
	})
})

describe('month lengths', () => {
	test.each([
		['2026-10-01', 'jalali', 30], // Mehr 1405
		['2026-09-10', 'jalali', 31], // Shahrivar 1405
		['2027-03-01', 'jalali', 29], // Esfand 1405 (not a leap year)
		['2025-03-01', 'jalali', 30], // Esfand 1403 (leap year)
		['2026-02-10', 'gregorian', 28],
		['2028-02-10', 'gregorian', 29],
	] as const)('%s %s → %d days', (day, cal, n) => expect(monthLength(day, cal)).toBe(n))
})

describe('cycle start', () => {
	test('Jalali reset day 1 in Tehran: 1 Dey 1405 begins at 20:30 UTC on 21 December', () => {
		expect(cycleStart(new Date('2026-12-21T20:29:00Z'), tehran(1))).toBe('2026-11-22') // 1 Azar
		expect(cycleStart(new Date('2026-12-21T20:30:30Z'), tehran(1))).toBe('2026-12-22') // 1 Dey
	})
	test('reset day 31 is clamped to a 30-day month (Mehr) and a 29-day Esfand', () => {
		expect(cycleStart(new Date('2026-10-22T12:00:00Z'), tehran(31))).toBe('2026-10-22') // 30 Mehr
		expect(cycleStart(new Date('2026-10-21T12:00:00Z'), tehran(31))).toBe('2026-09-22') // 31 Shahrivar
		expect(cycleStart(new Date('2027-03-20T12:00:00Z'), tehran(31))).toBe('2027-03-20') // 29 Esfand 1405
	})
	test('Gregorian reset day 31 in February is the 28th; the next cycle starts on 31 March', () => {
		const rule = tehran(31, 'gregorian')
		expect(cycleStart(new Date('2026-03-01T12:00:00Z'), rule)).toBe('2026-02-28')
		expect(nextCycleStart('2026-02-28', rule)).toBe('2026-03-31')
	})
	test('reset day 15: before the 15th the cycle began last month', () => {
		expect(cycleStart(new Date('2026-12-01T12:00:00Z'), tehran(15, 'gregorian'))).toBe('2026-11-15')
		expect(cycleStart(new Date('2026-12-01T12:00:00Z'), tehran(10))).toBe('2026-12-01') // 10 Azar 1405
		expect(nextCycleStart('2026-12-01', tehran(10))).toBe('2026-12-31') // 10 Dey
	})
})
