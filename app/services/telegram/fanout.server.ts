// From one notification to Telegram deliveries: who it is addressed to (every active admin, the
// reseller's login, or the end user), which of them linked an unblocked chat and want this event
// (the catalogue's default unless they chose otherwise), plus the backup file for linked admins
// when "send backups" is on. One telegram_deliveries row per (notification, user, kind) — the
// per-event dedupe — and one telegram_send job per new row, in one transaction.
import { prisma } from '~/utils/db.server'
import { eventOfKind, isEventOn, type EventAudience } from './events'
import { getTelegramSettings, isTelegramUsable } from './settings.server'

export const SEND_TASK = 'telegram_send'
/** A notification older than this is history (a restored or replayed one): never sent. */
export const STALE_AFTER_MS = 6 * 3_600_000
export const SEND_MAX_ATTEMPTS = 8

export const sendJobKey = (deliveryId: bigint) => `${SEND_TASK}:${deliveryId}`

export async function fanOut(notificationId: bigint) {
	const n = await prisma.notification.findUnique({ where: { id: notificationId } })
	if (!n || Date.now() - n.createdAt.getTime() > STALE_AFTER_MS) return { created: 0 }
	const settings = await getTelegramSettings()
	if (!isTelegramUsable(settings)) return { created: 0 }
	const event = eventOfKind(n.kind)
	const audience = n.audience as EventAudience
	const recipients = await prisma.$queryRaw<Array<{ user_id: number; chat_id: bigint; events: unknown }>>`
		select l.user_id, l.chat_id, p.events
		from telegram_links l join users u on u.id = l.user_id
		left join notification_preferences p on p.user_id = l.user_id
		where l.blocked_at is null and u.status = 'active' and (
			(${n.audience} = 'admin' and u.role = 'admin')
			or (${n.audience} = 'reseller' and exists (select 1 from resellers r where r.id = ${n.resellerId}::int and r.user_id = u.id))
			or (${n.audience} = 'user' and u.id = ${n.userId}::int))`
	const wanted: Array<{ userId: number; chatId: bigint; kind: 'message' | 'document' }> = []
	for (const r of recipients) {
		const choices = (r.events ?? {}) as Record<string, unknown>
		if (event && (event.audiences as readonly string[]).includes(audience) && isEventOn(event, choices)) wanted.push({ userId: r.user_id, chatId: r.chat_id, kind: 'message' })
		if (n.kind === 'backup_succeeded' && audience === 'admin' && settings.sendBackups) wanted.push({ userId: r.user_id, chatId: r.chat_id, kind: 'document' })
	}
	let created = 0
	await prisma.$transaction(async (tx) => {
		for (const w of wanted) {
			const [row] = await tx.$queryRaw<Array<{ id: bigint }>>`
				insert into telegram_deliveries (notification_id, user_id, chat_id, kind) values (${n.id}, ${w.userId}, ${w.chatId}, ${w.kind})
				on conflict (notification_id, user_id, kind) do nothing returning id`
			if (!row) continue
			created++
			await tx.$executeRaw`select graphile_worker.add_job(${SEND_TASK}::text, json_build_object('deliveryId', ${String(row.id)}::text),
				max_attempts := ${SEND_MAX_ATTEMPTS}::int, job_key := ${sendJobKey(row.id)}::text)`
		}
	})
	return { created }
}
