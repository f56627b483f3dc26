// Tax inclusive / exclusive as its own line, integer Rial, half-up once on the invoice; and the
// line order coupon → proration → tax (lines.ts).
import { describe, expect, test } from 'vitest'
import { buildInvoice, couponDiscount } from '~/services/invoices/lines'
import { computeTax } from '~/services/invoices/tax'

const plan = { kind: 'plan' as const, labelKey: 'invoices.line.plan', values: {}, quantity: 1, unitAmount: 1_000_000n }

describe('tax', () => {
	test('exclusive 9 %: added on top, its own line', () => {
		expect(computeTax(1_000_000n, 900, false)).toEqual({ tax: 90_000n, total: 1_090_000n, net: 1_000_000n })
		const inv = buildInvoice({ goods: [plan], taxRateBp: 900, taxInclusive: false })
		expect(inv.total).toBe(1_090_000n)
		expect(inv.lines.map((l) => [l.kind, l.amount, l.included])).toEqual([['plan', 1_000_000n, false], ['tax', 90_000n, false]])
	})

	test('inclusive 9 %: inside the price, shown, adds nothing', () => {
		// net = round(1,000,000 / 1.09) = 917,431.19… → 917,431, tax = 82,569
		expect(computeTax(1_000_000n, 900, true)).toEqual({ tax: 82_569n, total: 1_000_000n, net: 917_431n })
		const inv = buildInvoice({ goods: [plan], taxRateBp: 900, taxInclusive: true })
		expect(inv.total).toBe(1_000_000n)
		expect(inv.lines.at(-1)).toMatchObject({ kind: 'tax', amount: 82_569n, included: true })
	})

	test('half up: 5 Rial at 10 % is 0.5 → 1, 4 Rial → 0.4 → 0', () => {
		expect(computeTax(5n, 1000, false).tax).toBe(1n)
		expect(computeTax(4n, 1000, false).tax).toBe(0n)
		// inclusive: 11 at 10 % → net round(10) = 10, tax 1 · 16 → net 14.545… → 15, tax 1
		expect(computeTax(11n, 1000, true)).toMatchObject({ tax: 1n, net: 10n })
		expect(computeTax(16n, 1000, true)).toMatchObject({ tax: 1n, net: 15n })
	})

	test('rate 0 (the default): no tax line at all', () => {
		const inv = buildInvoice({ goods: [plan], taxRateBp: 0, taxInclusive: false })
		expect(inv.lines.map((l) => l.kind)).toEqual(['plan'])
		expect(inv.total).toBe(1_000_000n)
	})

	test('tax is on what is left after the coupon and the proration credit', () => {
		const inv = buildInvoice({ goods: [plan], coupon: { id: 1, code: 'TEN', kind: 'percent', value: 1000n }, prorationCredit: 300_000n, taxRateBp: 1000, taxInclusive: false })
		// 1,000,000 − 100,000 − 300,000 = 600,000, + 10 % = 660,000
		expect(inv.lines.map((l) => [l.kind, l.amount])).toEqual([['plan', 1_000_000n], ['coupon', -100_000n], ['proration', -300_000n], ['tax', 60_000n]])
		expect(inv.total).toBe(660_000n)
	})

	test('a proration credit above what is due is capped at 0 due; the rest is wallet credit', () => {
		const inv = buildInvoice({ goods: [plan], prorationCredit: 1_250_000n, taxRateBp: 900, taxInclusive: false })
		expect(inv.credit).toBe(1_000_000n)
		expect(inv.walletCredit).toBe(250_000n)
		expect(inv.total).toBe(0n)
	})

	test('coupon discounts: percent rounds down, fixed is capped at the subtotal', () => {
		expect(couponDiscount({ kind: 'percent', value: 3333n }, 1_000n)).toBe(333n)
		expect(couponDiscount({ kind: 'fixed', value: 5_000n }, 1_000n)).toBe(1_000n)
	})
})
