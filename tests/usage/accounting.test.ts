// Rule 12 as a pure function: deltas, resets (epochs), multiplier, held jumps, rounding noise.
import { describe, expect, test } from 'vitest'
import { accountCounter, applyMultiplier, GIB, MIB, remoteEnabled, wantsEnabled } from '~/services/usage/accounting'

const rules = { permille: 1000, jumpBytes: 500n * GIB }
const at = (lastCounter: bigint, counterEpoch = 0) => ({ lastCounter, counterEpoch })

describe('accountCounter', () => {
	test('a growing counter counts the difference', () => {
		expect(accountCounter(at(100n), 350n, rules)).toEqual({ nextCounter: 350n, nextEpoch: 0, rawDelta: 250n, counted: 250n, held: 0n, reset: false, changed: true })
	})

	test('an unchanged counter writes nothing', () => {
		expect(accountCounter(at(100n, 3), 100n, rules)).toMatchObject({ nextCounter: 100n, nextEpoch: 3, counted: 0n, changed: false })
	})

	test('a counter that goes down is a reset: new epoch, the delta is the new value', () => {
		expect(accountCounter(at(5000n, 2), 70n, rules)).toEqual({ nextCounter: 70n, nextEpoch: 3, rawDelta: 70n, counted: 70n, held: 0n, reset: true, changed: true })
	})

	test('a reset to zero counts nothing, never negative, but still starts the epoch', () => {
		const r = accountCounter(at(5000n), 0n, rules)
		expect(r).toMatchObject({ nextCounter: 0n, nextEpoch: 1, counted: 0n, reset: true, changed: true })
	})

	test('after a reset the next read counts from the new base, not from the old counter', () => {
		const first = accountCounter(at(9000n), 100n, rules)
		const second = accountCounter({ lastCounter: first.nextCounter, counterEpoch: first.nextEpoch }, 400n, rules)
		expect(first.counted + second.counted).toBe(400n)
		expect(second.nextEpoch).toBe(1)
	})

	test('the multiplier applies in exact integer math, rounded down', () => {
		expect(accountCounter(at(0n), 1000n, { ...rules, permille: 1500 }).counted).toBe(1500n)
		expect(accountCounter(at(0n), 3n, { ...rules, permille: 333 }).counted).toBe(0n)
		const big = 9_000_000_000_000_000n // beyond Number's exact range
		expect(accountCounter(at(0n), big, { permille: 1001, jumpBytes: big }).counted).toBe(9_009_000_000_000_000n)
	})

	test('a jump above the threshold is held, not counted, and the counter advances', () => {
		const r = accountCounter(at(GIB), GIB + 501n * GIB, rules)
		expect(r).toMatchObject({ nextCounter: 502n * GIB, counted: 0n, held: 501n * GIB, changed: true })
		// the same reading again is no new jump
		expect(accountCounter(at(r.nextCounter), 502n * GIB, rules).changed).toBe(false)
	})

	test('exactly at the threshold is still counted; a reset to a huge value is held', () => {
		expect(accountCounter(at(0n), 500n * GIB, rules).counted).toBe(500n * GIB)
		expect(accountCounter(at(900n * GIB), 600n * GIB, rules)).toMatchObject({ reset: true, held: 600n * GIB, counted: 0n, nextEpoch: 1 })
	})

	test('a drop within the rounding tolerance is noise: nothing counted, the higher base kept', () => {
		const tolerant = { ...rules, dropToleranceBytes: MIB }
		expect(accountCounter(at(10n * GIB), 10n * GIB - 200_000n, tolerant)).toMatchObject({ changed: false, nextCounter: 10n * GIB })
		expect(accountCounter(at(10n * GIB), 5n * GIB, tolerant)).toMatchObject({ reset: true, counted: 5n * GIB })
	})

	test('a negative counter (panel bug) is ignored', () => {
		expect(accountCounter(at(10n), -5n, rules).changed).toBe(false)
	})

	test('bad multipliers are refused', () => {
		expect(() => applyMultiplier(1n, -1)).toThrow(RangeError)
		expect(() => applyMultiplier(1n, 1.5)).toThrow(RangeError)
	})
})

test('status mapping: only an active customer should be enabled; only "disabled" is off on a panel', () => {
	expect(['active', 'disabled', 'expired', 'limited', 'refunded'].map(wantsEnabled)).toEqual([true, false, false, false, false])
	expect(['active', 'disabled', 'limited', 'expired', 'on_hold'].map(remoteEnabled)).toEqual([true, false, true, true, true])
})
