// Statement months (issue 14): a Jalali or Gregorian month runs from Tehran midnight of its day 1
// to the next month's, half-open, and every instant belongs to exactly one month.
import { describe, expect, test } from 'vitest'
import { monthLabel, monthOf, monthsBetween, parseMonth, periodOf, shiftMonth, statementDate } from '~/services/statements/month'

describe('statement months', () => {
	test('a Jalali month starts at Tehran midnight of its day 1 (UTC+03:30, no DST)', () => {
		const azar = periodOf(parseMonth('1405-09', 'jalali')!)
		// 1 Azar 1405 = 22 Nov 2026; Tehran midnight = 20:30 UTC the day before.
		expect(azar.start.toISOString()).toBe('2026-11-21T20:30:00.000Z')
		expect(azar.end.toISOString()).toBe('2026-12-21T20:30:00.000Z') // 1 Dey 1405 = 22 Dec 2026
		expect([azar.firstDay, azar.lastDay]).toEqual(['2026-11-22', '2026-12-21'])
		// Esfand has 30 days in a Jalali leap year (1403) and 29 otherwise (1404).
		const days = (p: { start: Date; end: Date }) => (p.end.getTime() - p.start.getTime()) / 86_400_000
		const esfand1403 = periodOf(parseMonth('1403-12', 'jalali')!)
		const esfand1404 = periodOf(parseMonth('1404-12', 'jalali')!)
		expect([esfand1403.firstDay, esfand1403.lastDay, days(esfand1403)]).toEqual(['2025-02-19', '2025-03-20', 30])
		expect([esfand1404.firstDay, esfand1404.lastDay, days(esfand1404)]).toEqual(['2026-02-20', '2026-03-20', 29])
		// Farvardin 1 (Nowruz) of 1405 is 21 March 2026.
		expect(periodOf(parseMonth('1405-01', 'jalali')!).start.toISOString()).toBe('2026-03-20T20:30:00.000Z')
	})

	test('a Gregorian month is cut at Tehran midnight too, and before 2022 DST is honoured', () => {
		expect(periodOf(parseMonth('2026-11', 'gregorian')!).start.toISOString()).toBe('2026-10-31T20:30:00.000Z')
		expect(periodOf(parseMonth('2026-12', 'gregorian')!).end.toISOString()).toBe('2026-12-31T20:30:00.000Z')
		// July 2021: Tehran was on +04:30 summer time.
		expect(periodOf(parseMonth('2021-07', 'gregorian')!).start.toISOString()).toBe('2021-06-30T19:30:00.000Z')
	})

	test('the boundary instant belongs to the new month, a millisecond before to the old', () => {
		const start = periodOf(parseMonth('1405-09', 'jalali')!).start
		expect(monthOf(start, 'jalali')).toEqual({ cal: 'jalali', year: 1405, month: 9 })
		expect(monthOf(new Date(start.getTime() - 1), 'jalali')).toEqual({ cal: 'jalali', year: 1405, month: 8 })
		// consecutive months tile time: each ends where the next starts
		let m = parseMonth('1403-01', 'jalali')!
		for (let i = 0; i < 30; i++) {
			const next = shiftMonth(m, 1)
			expect(periodOf(m).end.getTime()).toBe(periodOf(next).start.getTime())
			m = next
		}
	})

	test('months are read strictly (Persian digits allowed), anything else is null', () => {
		expect(parseMonth('۱۴۰۵-۰۹', 'jalali')).toEqual({ cal: 'jalali', year: 1405, month: 9 })
		for (const bad of ['1405-13', '1405-00', '2026-11', '14050-1', '1405/09', 'x', '', '1405-09-01', '1405-9x']) expect(parseMonth(bad, 'jalali')).toBeNull()
		expect(parseMonth('1405-09', 'gregorian')).toBeNull()
		expect(parseMonth('9999-01', 'gregorian')).toBeNull()
	})

	test('labels and dates in the reader’s language and calendar', () => {
		const azar = parseMonth('1405-09', 'jalali')!
		expect(monthLabel('fa', azar)).toBe('آذر ۱۴۰۵')
		expect(monthLabel('en', azar)).toBe('Azar 1405')
		expect(monthLabel('en', parseMonth('2026-11', 'gregorian')!)).toBe('November 2026')
		const start = periodOf(azar).start
		expect(statementDate('fa', 'jalali', start, true)).toBe('۱۴۰۵/۰۹/۰۱ ۰۰:۰۰')
		expect(statementDate('en', 'gregorian', start, true)).toBe('2026-11-22 00:00')
		expect(monthsBetween(parseMonth('1405-07', 'jalali')!, azar).map((x) => x.month)).toEqual([9, 8, 7])
	})
})
