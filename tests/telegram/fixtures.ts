// Telegram tests: the fake Bot API over a real socket, the hub's bot pointed at it (grammy's
// apiRoot), and the worker's jobs run with runOnce (jobs due later stay queued: nothing sleeps).
import { runOnce } from 'graphile-worker'
import { resetTelegramRate } from '~/services/telegram/rate.server'
import { saveTelegramSettings } from '~/services/telegram/settings.server'
import { prisma } from '~/utils/db.server'
import { env } from '~/utils/env.server'
import { startTelegramSim, type TelegramSim } from '../../sim/telegram-bot-api'
import { quietLogger } from '../../worker/schema'
import { taskList } from '../../worker/tasks/index'

export async function startBot(opts: { sendBackups?: boolean } = {}) {
	const sim = await startTelegramSim()
	await configureBot(sim, opts)
	return sim
}

export async function configureBot(sim: TelegramSim, opts: { sendBackups?: boolean; enabled?: boolean } = {}) {
	await saveTelegramSettings({ enabled: opts.enabled ?? true, token: sim.token, apiRoot: sim.url, botUsername: sim.botUsername, sendBackups: opts.sendBackups ?? false, pollTimeoutSec: 0 }, null)
}

/** The user's chat as Telegram knows it (he wrote to the bot) and as the hub knows it (linked). */
export async function linkChat(sim: TelegramSim, userId: number, chatId: number) {
	sim.userSends({ id: chatId, first_name: `u${userId}` }, 'hello')
	await prisma.telegramLink.upsert({ where: { userId }, create: { userId, chatId: BigInt(chatId) }, update: { chatId: BigInt(chatId), blockedAt: null } })
}

export async function runJobs() {
	// every send may take the chat's next slot: tests that send twice to one chat start fresh
	await resetTelegramRate()
	await runOnce({ connectionString: env().DATABASE_URL, taskList, logger: quietLogger(false) })
}

export async function clearJobs() {
	await prisma.$executeRaw`delete from graphile_worker._private_jobs`
}

export const messagesTo = (sim: TelegramSim, chatId: number) => sim.sent.filter((m) => m.chatId === chatId)

export async function dbNowMs() {
	const [r] = await prisma.$queryRaw<Array<{ ms: number }>>`select extract(epoch from clock_timestamp()) * 1000 as ms`
	return Number(r!.ms)
}

export async function sendJob(deliveryId: bigint) {
	const [j] = await prisma.$queryRaw<Array<{ run_at_ms: number; attempts: number }>>`
		select extract(epoch from run_at) * 1000 as run_at_ms, attempts from graphile_worker.jobs where key = ${`telegram_send:${deliveryId}`}`
	return j ? { runAtMs: Number(j.run_at_ms), attempts: j.attempts } : null
}
