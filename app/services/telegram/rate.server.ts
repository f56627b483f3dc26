// Telegram's limits (core.telegram.org/bots/faq: "no more than one message per second" to one
// chat, "about 30 messages per second" overall), shared by every worker process the way the panel
// write limit is (app/services/remote-rate.server.ts, decision 010): a GCRA "next slot" per key in
// telegram_rate, on the database's clock. Every reservation locks the one 'global' row first, so
// two senders never interleave (and never deadlock on two rows). A slot further away than
// MAX_WAIT_MS is not taken: the job comes back at it instead of holding a worker slot.
// Unlike the panel limiter there is no virtual queue: a deferred job may lose its turn to a
// newcomer; at ≈30 messages a second that costs seconds, never the limit.
import { prisma } from '~/utils/db.server'

export const PER_CHAT_MS = 1_000
export const GLOBAL_MS = Math.ceil(1_000 / 30)
export const MAX_WAIT_MS = 1_000

/** `at`: the slot, ms since the epoch on the database's clock. */
export type SendSlot = { admitted: true; at: number; waitMs: number } | { admitted: false; retryInMs: number }

const chatKey = (chatId: bigint) => `chat:${chatId}`

export async function reserveSend(chatId: bigint, maxWaitMs = MAX_WAIT_MS): Promise<SendSlot> {
	const key = chatKey(chatId)
	await prisma.$executeRaw`insert into telegram_rate (key, next_at) values ('global', now()), (${key}, now()) on conflict (key) do nothing`
	return prisma.$transaction(async (tx) => {
		const [r] = await tx.$queryRaw<Array<{ now_ms: number; g_ms: number; c_ms: number }>>`
			with g as (select next_at from telegram_rate where key = 'global' for update)
			select extract(epoch from clock_timestamp()) * 1000 as now_ms,
				extract(epoch from (select next_at from g)) * 1000 as g_ms,
				extract(epoch from (select next_at from telegram_rate where key = ${key})) * 1000 as c_ms`
		const now = Number(r!.now_ms)
		const start = Math.max(now, Number(r!.g_ms), Number(r!.c_ms))
		if (start - now > maxWaitMs) return { admitted: false as const, retryInMs: Math.ceil(start - now) }
		await tx.$executeRaw`update telegram_rate set next_at = case when key = 'global'
				then to_timestamp(${start + GLOBAL_MS}::float8 / 1000) else to_timestamp(${start + PER_CHAT_MS}::float8 / 1000) end
			where key in ('global', ${key})`
		return { admitted: true as const, at: start, waitMs: Math.max(0, Math.round(start - now)) }
	})
}

/** A 429 for this chat: nothing more to it before retry_after has passed. */
export async function holdChat(chatId: bigint, ms: number) {
	await prisma.$executeRaw`insert into telegram_rate (key, next_at) values (${chatKey(chatId)}, now() + make_interval(secs => ${ms}::float8 / 1000))
		on conflict (key) do update set next_at = greatest(telegram_rate.next_at, excluded.next_at)`
}

/** Tests: every slot free again. */
export async function resetTelegramRate() {
	await prisma.$executeRaw`delete from telegram_rate`
}
