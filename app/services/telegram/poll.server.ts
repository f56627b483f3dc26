// Receiving "/start <code>" (linking): long polling with getUpdates from the worker, not a
// webhook. Hubs run behind NAT and filtered networks that Telegram cannot reach, while an outgoing
// request (through the optional proxy) works everywhere; a webhook would also need a public TLS
// address. One poll at a time (poll-job.server.ts); each long-polls up to pollTimeoutSec, and
// while a link code is still open the poller queues itself again, so linking answers in seconds;
// otherwise the crontab's minute poll drains whatever else was written to the bot.
import { prisma } from '~/utils/db.server'
import { botApi } from './client.server'
import { consumeLinkCode } from './link.server'
import { telegramText } from './message.server'
import { enqueuePoll } from './poll-job.server'
import { reserveSend } from './rate.server'
import { getPollOffset, getTelegramSettings, isTelegramUsable, savePollOffset } from './settings.server'

const START_RE = /^\/start(?:@\w+)?(?:\s+(\S+))?\s*$/

interface TgMessage {
	chat?: { id?: number; type?: string; username?: string }
	from?: { username?: string; language_code?: string }
	text?: string
}

export async function pollUpdates(): Promise<{ updates: number; linked: number }> {
	const settings = await getTelegramSettings()
	if (!isTelegramUsable(settings)) return { updates: 0, linked: 0 }
	const api = botApi(settings, settings.pollTimeoutSec + 10)
	const offset = await getPollOffset()
	const updates = await api.getUpdates({ offset, timeout: settings.pollTimeoutSec, allowed_updates: ['message'] })
	let linked = 0
	for (const u of updates) {
		const m = (u as { message?: TgMessage }).message
		const match = m?.text ? START_RE.exec(m.text.trim()) : null
		if (m?.chat?.id && m.chat.type === 'private' && match) {
			const reply = await handleStart(match[1], { id: m.chat.id, username: m.from?.username ?? m.chat.username })
			if (reply.linked) linked++
			// a courtesy answer: losing it (flood, network) must not lose the link or the offset
			const slot = await reserveSend(BigInt(m.chat.id)).catch(() => null)
			if (slot?.admitted) await api.sendMessage(m.chat.id, await telegramText(reply.key, reply.locale ?? langOf(m))).catch(() => {})
		}
		// confirmed by the next getUpdates; saved per update so a crash re-reads at most this one
		await savePollOffset(u.update_id + 1)
	}
	const open = await prisma.telegramLinkCode.count({ where: { usedAt: null, expiresAt: { gt: new Date() } } })
	if (open > 0) await enqueuePoll(prisma, 1_000)
	return { updates: updates.length, linked }
}

const langOf = (m: TgMessage) => (m.from?.language_code === 'fa' ? 'fa' : 'en')

async function handleStart(code: string | undefined, chat: { id: number; username?: string }) {
	if (!code) return { linked: false, key: 'notify.telegram.startHelp', locale: null }
	const r = await consumeLinkCode(code, chat)
	if (!r.ok) return { linked: false, key: `notify.telegram.code_${r.reason}`, locale: null }
	const user = await prisma.user.findUnique({ where: { id: r.userId }, select: { locale: true } })
	return { linked: true, key: 'notify.telegram.linked', locale: user?.locale ?? null }
}
