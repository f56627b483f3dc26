// Linking a Telegram chat to a hub user (admin, reseller or end user): the profile page makes a
// one-time code (only its SHA-256 is stored, so it is shown once), the user opens
// t.me/<bot>?start=<code>, Telegram sends "/start <code>" to the bot, and the poller
// (poll.server.ts) binds that chat. Codes last 15 minutes and work once.
import { createHash, randomBytes } from 'node:crypto'
import { prisma } from '~/utils/db.server'
import { enqueuePoll } from './poll-job.server'

export const CODE_TTL_MS = 15 * 60_000
/** Deep-link parameters allow A–Z a–z 0–9 _ - up to 64 characters (Bot API, "Deep linking"). */
const CODE_RE = /^[A-Za-z0-9_-]{8,64}$/

const hash = (code: string) => createHash('sha256').update(code).digest('hex')

/** A fresh code for this user; his older unused codes stop working. */
export async function createLinkCode(userId: number) {
	const code = randomBytes(12).toString('base64url')
	const expiresAt = await prisma.$transaction(async (tx) => {
		await tx.telegramLinkCode.updateMany({ where: { userId, usedAt: null }, data: { usedAt: new Date() } })
		// on the database's clock, the one consumeLinkCode checks against
		const [row] = await tx.$queryRaw<Array<{ expires_at: Date }>>`
			insert into telegram_link_codes (code_hash, user_id, expires_at) values (${hash(code)}, ${userId}, now() + make_interval(secs => ${CODE_TTL_MS / 1000}::int))
			returning expires_at`
		// someone is about to write to the bot: poll for it now (not at the next cron minute)
		await enqueuePoll(tx)
		return row!.expires_at
	})
	return { code, expiresAt }
}

export type LinkResult = { ok: true; userId: number } | { ok: false; reason: 'invalid' | 'expired' | 'used' }

/** "/start <code>" from a private chat: bind it, once, before the code expires. */
export async function consumeLinkCode(code: string, chat: { id: number; username?: string }): Promise<LinkResult> {
	if (!CODE_RE.test(code)) return { ok: false, reason: 'invalid' }
	return prisma.$transaction(async (tx) => {
		const [row] = await tx.$queryRaw<Array<{ user_id: number; used: boolean; expired: boolean }>>`
			select user_id, used_at is not null as used, expires_at <= now() as expired
			from telegram_link_codes where code_hash = ${hash(code)} for update`
		if (!row) return { ok: false as const, reason: 'invalid' as const }
		if (row.used) return { ok: false as const, reason: 'used' as const }
		if (row.expired) return { ok: false as const, reason: 'expired' as const }
		await tx.telegramLinkCode.update({ where: { codeHash: hash(code) }, data: { usedAt: new Date() } })
		const data = { chatId: BigInt(chat.id), tgUsername: chat.username ?? null, linkedAt: new Date(), blockedAt: null }
		await tx.telegramLink.upsert({ where: { userId: row.user_id }, create: { userId: row.user_id, ...data }, update: data })
		return { ok: true as const, userId: row.user_id }
	})
}

export async function unlink(userId: number) {
	await prisma.telegramLink.deleteMany({ where: { userId } })
}

export async function linkOf(userId: number) {
	const l = await prisma.telegramLink.findUnique({ where: { userId } })
	return l ? { tgUsername: l.tgUsername, linkedAt: l.linkedAt, blocked: l.blockedAt !== null } : null
}

export async function preferencesOf(userId: number): Promise<Record<string, boolean>> {
	const p = await prisma.notificationPreference.findUnique({ where: { userId } })
	const events = (p?.events ?? {}) as Record<string, unknown>
	return Object.fromEntries(Object.entries(events).filter(([, v]) => typeof v === 'boolean')) as Record<string, boolean>
}

export async function savePreferences(userId: number, events: Record<string, boolean>) {
	await prisma.notificationPreference.upsert({ where: { userId }, create: { userId, events }, update: { events } })
}
