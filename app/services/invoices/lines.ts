// An invoice's lines and totals from what is bought (issue 12). Pure: the same function prices
// a draft, re-prices it when a coupon is applied, and is unit-tested.
// Order: the goods (plan, traffic add-on) make the subtotal → the coupon discounts the subtotal
// → the proration credit (an upgrade) takes what is left down to at most 0, its excess goes to
// the wallet when the invoice is paid → tax on the rest (tax.ts) as its own line.
import { computeTax } from './tax'

export interface GoodsLine {
	kind: 'plan' | 'traffic'
	labelKey: string
	values: Record<string, string | number>
	quantity: number
	unitAmount: bigint
}

export interface CouponTerms {
	id: number
	code: string
	kind: 'percent' | 'fixed'
	/** percent: basis points; fixed: Rial. */
	value: bigint
}

export interface BuildInput {
	goods: GoodsLine[]
	coupon?: CouponTerms | null
	/** The upgrade's proration credit (≥ 0), before capping. */
	prorationCredit?: bigint
	prorationValues?: Record<string, string | number>
	taxRateBp: number
	taxInclusive: boolean
}

export interface BuiltLine {
	position: number
	kind: 'plan' | 'traffic' | 'coupon' | 'proration' | 'tax'
	labelKey: string
	values: Record<string, string | number>
	quantity: number
	unitAmount: bigint
	amount: bigint
	included: boolean
}

export interface BuiltInvoice {
	lines: BuiltLine[]
	subtotal: bigint
	discount: bigint
	credit: bigint
	walletCredit: bigint
	taxAmount: bigint
	total: bigint
}

/** A coupon's discount on `subtotal`: percent rounded down, fixed capped at the subtotal. */
export function couponDiscount(c: Pick<CouponTerms, 'kind' | 'value'>, subtotal: bigint) {
	if (subtotal <= 0n) return 0n
	const d = c.kind === 'percent' ? (subtotal * c.value) / 10_000n : c.value
	return d > subtotal ? subtotal : d
}

export function buildInvoice(input: BuildInput): BuiltInvoice {
	const lines: BuiltLine[] = []
	const push = (l: Omit<BuiltLine, 'position'>) => lines.push({ ...l, position: lines.length + 1 })
	for (const g of input.goods) push({ ...g, amount: g.unitAmount * BigInt(g.quantity), included: false })
	const subtotal = lines.reduce((s, l) => s + l.amount, 0n)
	const discount = input.coupon ? couponDiscount(input.coupon, subtotal) : 0n
	if (input.coupon && discount > 0n) {
		const values = { code: input.coupon.code, ...(input.coupon.kind === 'percent' ? { percent: Number(input.coupon.value) / 100 } : {}) }
		push({ kind: 'coupon', labelKey: `invoices.line.coupon_${input.coupon.kind}`, values, quantity: 1, unitAmount: -discount, amount: -discount, included: false })
	}
	const afterDiscount = subtotal - discount
	const wanted = input.prorationCredit && input.prorationCredit > 0n ? input.prorationCredit : 0n
	// The credit line is whole Toman (a multiple of 10 Rial) unless it covers everything: the total
	// of a whole-Toman price then stays payable at a gateway told in Toman (Zarinpal IRT refuses a
	// Rial remainder). The 0–9 Rial cut off are not lost: they go to the wallet with any excess.
	const capped = wanted < afterDiscount ? wanted : afterDiscount
	const credit = capped === afterDiscount ? capped : capped - (capped % 10n)
	const walletCredit = wanted - credit
	if (wanted > 0n) push({ kind: 'proration', labelKey: 'invoices.line.proration', values: input.prorationValues ?? {}, quantity: 1, unitAmount: -credit, amount: -credit, included: false })
	const base = afterDiscount - credit
	const tax = computeTax(base, input.taxRateBp, input.taxInclusive)
	if (input.taxRateBp > 0) {
		push({
			kind: 'tax',
			labelKey: input.taxInclusive ? 'invoices.line.tax_included' : 'invoices.line.tax',
			values: { percent: input.taxRateBp / 100 },
			quantity: 1,
			unitAmount: tax.tax,
			amount: tax.tax,
			included: input.taxInclusive,
		})
	}
	return { lines, subtotal, discount, credit, walletCredit, taxAmount: tax.tax, total: tax.total }
}
