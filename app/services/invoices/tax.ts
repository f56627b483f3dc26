// Tax on a store invoice (issue 12): a rate in basis points (1000 = 10 %) from the store setting,
// inclusive or exclusive, always its own line. Integer Rial. Rounding rule: half up to the Rial,
// once, on the invoice's taxable amount (never per line), so the figures are reproducible:
//   exclusive: tax = round(base × bp / 10 000), total = base + tax
//   inclusive: net = round(base × 10 000 / (10 000 + bp)), tax = base − net, total = base
// Pure: no I/O (property-tested in tests/invoices/tax.test.ts).

export interface TaxResult {
	/** Tax in Rial (≥ 0). */
	tax: bigint
	/** What the payer pays. */
	total: bigint
	/** The taxable amount without tax. */
	net: bigint
}

/** round(n / d) half up, for n ≥ 0 and d > 0. */
export function divRoundHalfUp(n: bigint, d: bigint) {
	return (2n * n + d) / (2n * d)
}

export function computeTax(base: bigint, rateBp: number, inclusive: boolean): TaxResult {
	if (base <= 0n || rateBp <= 0) return { tax: 0n, total: base > 0n ? base : 0n, net: base > 0n ? base : 0n }
	const bp = BigInt(rateBp)
	if (inclusive) {
		const net = divRoundHalfUp(base * 10_000n, 10_000n + bp)
		return { tax: base - net, total: base, net }
	}
	const tax = divRoundHalfUp(base * bp, 10_000n)
	return { tax, total: base + tax, net: base }
}
