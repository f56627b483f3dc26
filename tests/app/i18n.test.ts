import { describe, expect, test } from 'vitest'
import { resources } from '~/utils/i18n'

const en = resources.en.common
const fa = resources.fa.common
import { formatBytes, formatDate, formatNumber, normalizeDigits } from '~/utils/format'

function keys(obj: object, prefix = ''): string[] {
	return Object.entries(obj).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]))
}

describe('locales', () => {
	test('en and fa have exactly the same keys', () => {
		const a = keys(en).sort()
		const b = keys(fa).sort()
		expect(a.filter((k) => !b.includes(k))).toEqual([])
		expect(b.filter((k) => !a.includes(k))).toEqual([])
	})
	test('no empty translations', () => {
		const empty = [...keys(en), ...keys(fa)].filter((k) => {
			const get = (o: object) => k.split('.').reduce<unknown>((x, p) => (x as Record<string, unknown>)[p], o)
			return get(en) === '' || get(fa) === ''
		})
		expect(empty).toEqual([])
	})
})

describe('Intl helpers', () => {
	test('fa uses Persian digits and the Jalali calendar', () => {
		expect(formatNumber('fa', 1234567)).toBe('۱٬۲۳۴٬۵۶۷')
		const d = formatDate('fa', '2026-03-21T12:00:00Z') // 1 Farvardin 1405
		expect(d).toContain('۱۴۰۵')
		expect(d).toContain('فروردین')
	})
	test('en uses Latin digits and the Gregorian calendar', () => {
		expect(formatNumber('en', 1234567)).toBe('1,234,567')
		expect(formatDate('en', '2026-03-21T12:00:00Z')).toBe('21 Mar 2026')
	})
	test('bytes and typed digits', () => {
		expect(formatBytes('en', 1536n * 1024n * 1024n)).toBe('1.5 GB')
		expect(formatBytes('en', 0n)).toBe('0 B')
		expect(normalizeDigits('۱۲۳٤٥')).toBe('12345')
	})
})
