// The admin's view of Telegram delivery: the latest messages with their outcome (admin only).
import { prisma } from '~/utils/db.server'

export async function recentDeliveries(take: number) {
	const rows = await prisma.$queryRaw<Array<{ id: bigint; status: string; kind: string; error: string | null; created_at: Date; username: string; notification_kind: string }>>`
		select d.id, d.status, d.kind, d.error, d.created_at, u.username, n.kind as notification_kind
		from telegram_deliveries d join users u on u.id = d.user_id join notifications n on n.id = d.notification_id
		order by d.id desc limit ${take}`
	return rows.map((r) => ({ id: String(r.id), status: r.status, kind: r.kind, error: r.error, createdAt: r.created_at, username: r.username, notificationKind: r.notification_kind }))
}
