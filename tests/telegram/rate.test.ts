// Telegram's limits as the shared limiter promises them, checked on the slots it hands out (the
// database's clock; nothing sleeps): ≥ 1 s between two messages to one chat, ≤ 30 slots in any
// second overall, even for reservations racing on separate connections; a slot too far away is
// not taken, and the caller is told when to come back.
import { beforeEach, describe, expect, test } from 'vitest'
import { GLOBAL_MS, PER_CHAT_MS, reserveSend, resetTelegramRate, type SendSlot } from '~/services/telegram/rate.server'

beforeEach(() => resetTelegramRate())

const admittedAt = (s: SendSlot) => {
	if (!s.admitted) throw new Error('not admitted')
	return s.at
}
function maxInWindow(times: number[], ms = 1000) {
	const t = [...times].sort((a, b) => a - b)
	let best = 0
	for (let i = 0, j = 0; j < t.length; j++) {
		while (t[j]! - t[i]! >= ms) i++
		best = Math.max(best, j - i + 1)
	}
	return best
}

describe('telegram rate', () => {
	test('one chat: a second message waits a second; past the longest wait it is deferred, not taken', async () => {
		const a = admittedAt(await reserveSend(1n, 5_000))
		const b = admittedAt(await reserveSend(1n, 5_000))
		expect(b - a).toBeGreaterThanOrEqual(PER_CHAT_MS - 1)
		const c = await reserveSend(1n, 0)
		expect(c.admitted).toBe(false)
		if (!c.admitted) expect(c.retryInMs).toBeGreaterThan(0)
		// the deferred call took nothing: the next slot is still one second after b
		expect(admittedAt(await reserveSend(1n, 5_000)) - b).toBeGreaterThanOrEqual(PER_CHAT_MS - 1)
	})

	test('60 chats at once on separate connections: slots 1/30 s apart, never more than 30 in a second', async () => {
		const slots = await Promise.all(Array.from({ length: 60 }, (_, i) => reserveSend(BigInt(100 + i), 10_000)))
		const at = slots.map(admittedAt).sort((x, y) => x - y)
		for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!, `slot ${i}`).toBeGreaterThanOrEqual(GLOBAL_MS - 1)
		expect(maxInWindow(at)).toBeLessThanOrEqual(30)
	})
})
