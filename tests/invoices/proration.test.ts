// Proration (issue 12): credit = net paid × min(time left ratio, traffic left ratio), to the
// second, rounded down. Figures by hand, then a property test over random inputs.
import { describe, expect, test } from 'vitest'
import { prorationCredit } from '~/services/invoices/proration'

const GB = 1024n ** 3n
const start = new Date('2026-06-01T00:00:00Z')
const expireAt = new Date('2026-07-01T00:00:00Z') // 30 days = 2,592,000 s
const at = (iso: string) => new Date(iso)

describe('proration figures', () => {
	test('time is the smaller ratio: 20 of 30 days left, 40 of 50 GB left', () => {
		const p = prorationCredit({ netPaid: 900_000n, periodStart: start, expireAt, now: at('2026-06-11T00:00:00Z'), dataLimitBytes: 50n * GB, usedBytes: 10n * GB })
		// 900,000 × 1,728,000 / 2,592,000 = 600,000
		expect(p.credit).toBe(600_000n)
		expect([p.num, p.den]).toEqual([1_728_000n, 2_592_000n])
	})

	test('traffic is the smaller ratio: 29 days left but 45 of 50 GB used', () => {
		const p = prorationCredit({ netPaid: 900_000n, periodStart: start, expireAt, now: at('2026-06-02T00:00:00Z'), dataLimitBytes: 50n * GB, usedBytes: 45n * GB })
		expect(p.credit).toBe(90_000n) // 900,000 × 5/50
	})

	test('to the second, rounded down', () => {
		// one second after the start: 2,591,999 / 2,592,000 of 1,000,001 = 1,000,000.614… → 1,000,000
		const p = prorationCredit({ netPaid: 1_000_001n, periodStart: start, expireAt, now: at('2026-06-01T00:00:01Z'), dataLimitBytes: 0n, usedBytes: 0n })
		expect(p.credit).toBe(1_000_000n)
		expect(p.secondsLeft).toBe(2_591_999n)
	})

	test('nothing for an expired service, a used-up volume or nothing paid', () => {
		const base = { netPaid: 900_000n, periodStart: start, expireAt, dataLimitBytes: 50n * GB }
		expect(prorationCredit({ ...base, now: at('2026-07-02T00:00:00Z'), usedBytes: 0n }).credit).toBe(0n)
		expect(prorationCredit({ ...base, now: at('2026-06-05T00:00:00Z'), usedBytes: 60n * GB }).credit).toBe(0n)
		expect(prorationCredit({ ...base, netPaid: 0n, now: at('2026-06-05T00:00:00Z'), usedBytes: 0n }).credit).toBe(0n)
	})
})

// A small deterministic PRNG so a failure reproduces (mulberry32).
function rng(seed: number) {
	return () => {
		seed |= 0
		seed = (seed + 0x6d2b79f5) | 0
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296
	}
}

describe('proration properties', () => {
	test('0 ≤ credit ≤ net paid, equals floor(net × min ratio), and never grows with time or usage', () => {
		const r = rng(12)
		for (let i = 0; i < 2000; i++) {
			const netPaid = BigInt(Math.floor(r() * 50_000_000))
			const period = 1 + Math.floor(r() * 90 * 86_400)
			const periodStart = new Date(Date.UTC(2026, 0, 1) + Math.floor(r() * 1e9) * 1000)
			const expire = new Date(periodStart.getTime() + period * 1000)
			const elapsed = Math.floor(r() * (period + 86_400))
			const now = new Date(periodStart.getTime() + elapsed * 1000)
			const limit = r() < 0.1 ? 0n : BigInt(1 + Math.floor(r() * 200)) * GB
			const used = limit === 0n ? BigInt(Math.floor(r() * 1e12)) : (limit * BigInt(Math.floor(r() * 1200))) / 1000n
			const p = prorationCredit({ netPaid, periodStart, expireAt: expire, now, dataLimitBytes: limit, usedBytes: used })
			expect(p.credit >= 0n && p.credit <= netPaid).toBe(true)
			// the reference computation with exact rationals
			const tl = BigInt(Math.max(0, Math.min(period, period - elapsed)))
			const bl = limit === 0n ? null : used >= limit ? 0n : limit - used
			let want = (netPaid * tl) / BigInt(period)
			if (bl != null) {
				const byTraffic = (netPaid * bl) / limit
				if (bl * BigInt(period) < tl * limit) want = byTraffic
			}
			expect(p.credit).toBe(want)
			// later, or with more used, never credits more
			const later = prorationCredit({ netPaid, periodStart, expireAt: expire, now: new Date(now.getTime() + 3_600_000), dataLimitBytes: limit, usedBytes: used + GB })
			expect(later.credit <= p.credit).toBe(true)
		}
	})
})
