// Persian polish in the formatting helpers: currency names in words, Toman display of Rial,
// Persian units, reference numbers in Persian digits.
import { describe, expect, test } from 'vitest'
import { currencyName, formatBytes, formatGb, formatRef } from '~/utils/format'
import { formatMoney, GB } from '~/utils/money'

describe('money in words', () => {
	test('Persian: تومان, ریال, دلار instead of codes, Persian digits and separators', () => {
		expect(formatMoney('fa', 120_000n, 'IRT')).toBe('۱۲۰٬۰۰۰ تومان')
		expect(formatMoney('fa', 1_200_000n, 'IRR')).toBe('۱٬۲۰۰٬۰۰۰ ریال')
		expect(formatMoney('fa', 1250n, 'USD')).toBe('۱۲٫۵۰ دلار')
		expect(formatMoney('fa', 500n, 'EUR')).toBe('۵٫۰۰ یورو')
		expect(formatMoney('fa', 1250n, 'USD')).not.toMatch(/[A-Z]/)
	})
	test('English keeps the ISO codes people know, words for Toman and Rial', () => {
		expect(formatMoney('en', 1250n, 'USD')).toBe('12.50 USD')
		expect(formatMoney('en', 120_000n, 'IRT')).toBe('120,000 Toman')
		expect(currencyName('en', 'IRR')).toBe('Rial')
	})
	test('a Rial amount shown in Toman: ÷10, a Rial remainder keeps one decimal', () => {
		expect(formatMoney('fa', 1_500_000n, 'IRR', 'IRT')).toBe('۱۵۰٬۰۰۰ تومان')
		expect(formatMoney('en', 1_500_000n, 'IRR', 'IRT')).toBe('150,000 Toman')
		expect(formatMoney('fa', 125n, 'IRR', 'IRT')).toBe('۱۲٫۵ تومان')
		expect(formatMoney('fa', -50n, 'IRR', 'IRT')).toBe('−۵ تومان')
		expect(formatMoney('fa', 1_500_000n, 'IRR', 'IRR')).toBe('۱٬۵۰۰٬۰۰۰ ریال')
	})
})

describe('units and references', () => {
	test('گیگابایت and friends in Persian, codes in English', () => {
		expect(formatBytes('fa', 50n * GB)).toBe('۵۰ گیگابایت')
		expect(formatBytes('fa', 1536n * 1024n * 1024n)).toBe('۱٫۵ گیگابایت')
		expect(formatBytes('fa', 0n)).toBe('۰ بایت')
		expect(formatBytes('en', 50n * GB)).toBe('50 GB')
		expect(formatGb('fa', 30)).toBe('۳۰ گیگابایت')
	})
	test('#13 and 404 in Persian digits, never grouped', () => {
		expect(formatRef('fa', 13)).toBe('#۱۳')
		expect(formatRef('fa', 12345n)).toBe('#۱۲۳۴۵')
		expect(formatRef('en', 12345)).toBe('#12345')
	})
})
