// Upgrade proration (issue 12, MISSION rule 15): the unused value of what the user paid for the
// service he leaves —
//   credit = net paid × min(time left ÷ period, traffic left ÷ volume)
// with time measured to the second and the result rounded down to the Rial (never credit more
// than was paid). "Net paid" is after coupons and earlier credits, without tax. The smaller ratio
// wins: a user who used up his traffic early gets nothing for the days left, and one near expiry
// gets nothing for unused gigabytes. Pure and integer-only (property-tested).

export interface ProrationInput {
	/** Rial paid for the current period, after coupons and credits, without tax. */
	netPaid: bigint
	periodStart: Date
	expireAt: Date
	now: Date
	dataLimitBytes: bigint
	usedBytes: bigint
}

export interface Proration {
	credit: bigint
	/** The ratio used, as an exact fraction (for the invoice line and the tests). */
	num: bigint
	den: bigint
	secondsLeft: bigint
	periodSeconds: bigint
	bytesLeft: bigint
}

const seconds = (d: Date) => BigInt(Math.floor(d.getTime() / 1000))

export function prorationCredit(p: ProrationInput): Proration {
	const periodSeconds = seconds(p.expireAt) - seconds(p.periodStart)
	const rawLeft = seconds(p.expireAt) - seconds(p.now)
	const secondsLeft = rawLeft < 0n ? 0n : rawLeft > periodSeconds ? periodSeconds : rawLeft
	const rawBytes = p.dataLimitBytes - p.usedBytes
	const bytesLeft = rawBytes < 0n ? 0n : rawBytes
	const zero = { credit: 0n, num: 0n, den: 1n, secondsLeft, periodSeconds, bytesLeft }
	if (p.netPaid <= 0n || periodSeconds <= 0n || secondsLeft === 0n) return zero
	// An unlimited volume (0) has no traffic ratio: time alone decides.
	let num = secondsLeft
	let den = periodSeconds
	if (p.dataLimitBytes > 0n) {
		if (bytesLeft === 0n) return zero
		// bytesLeft/limit < secondsLeft/period  ⇔  bytesLeft·period < secondsLeft·limit
		if (bytesLeft * periodSeconds < secondsLeft * p.dataLimitBytes) {
			num = bytesLeft
			den = p.dataLimitBytes
		}
	}
	return { credit: (p.netPaid * num) / den, num, den, secondsLeft, periodSeconds, bytesLeft }
}
