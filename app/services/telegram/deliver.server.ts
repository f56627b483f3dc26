// One Telegram delivery (a telegram_send job): idempotent (a sent, blocked or failed row is left
// alone), paced by the shared limiter (rate.server.ts), and honest about each failure:
//   429 → the chat is held and the job comes back after parameters.retry_after (not an attempt)
//   403 → the user blocked the bot: the link is marked blocked, nothing more is sent to it
//   other 4xx → failed for good (a retry would get the same answer)
//   5xx / network → thrown: graphile-worker retries with its exponential backoff
// A message whose send succeeded but whose row update was lost is sent again by the retry:
// delivery is at least once (Telegram has no idempotency key for sendMessage).
import { createReadStream } from 'node:fs'
import { basename } from 'node:path'
import { InputFile } from 'grammy'
import { prisma } from '~/utils/db.server'
import { botApi, classify } from './client.server'
import { sendJobKey, SEND_MAX_ATTEMPTS, SEND_TASK } from './fanout.server'
import { renderNotification, telegramText } from './message.server'
import { holdChat, reserveSend } from './rate.server'
import { getTelegramSettings, isTelegramUsable } from './settings.server'

/** sendDocument's upload limit on api.telegram.org. */
export const MAX_UPLOAD_BYTES = 50n * 1024n * 1024n
/** A job that keeps meeting 429s gives up after this many comebacks. */
export const MAX_FLOOD_RETRIES = 20

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export type DeliverOutcome = 'sent' | 'deferred' | 'flood' | 'blocked' | 'failed' | 'skipped' | 'done'

export async function deliver(deliveryId: bigint): Promise<DeliverOutcome> {
	const d = await prisma.telegramDelivery.findUnique({ where: { id: deliveryId } })
	if (!d || d.status !== 'pending') return 'done'
	const settings = await getTelegramSettings()
	const link = await prisma.telegramLink.findUnique({ where: { userId: d.userId } })
	if (!isTelegramUsable(settings) || !link || link.chatId !== d.chatId) return finish(d.id, 'skipped', 'unlinked or bot off')
	if (link.blockedAt) return finish(d.id, 'blocked', 'bot blocked by the user')

	const slot = await reserveSend(d.chatId)
	if (!slot.admitted) {
		await comeBack(d.id, slot.retryInMs)
		return 'deferred'
	}
	if (slot.waitMs > 0) await sleep(slot.waitMs)

	const n = await prisma.notification.findUnique({ where: { id: d.notificationId } })
	const user = await prisma.user.findUnique({ where: { id: d.userId }, select: { locale: true } })
	if (!n) return finish(d.id, 'skipped', 'notification gone')
	const api = botApi(settings)
	try {
		const chat = Number(d.chatId)
		let messageId: number
		if (d.kind === 'document') {
			const backupId = Number((n.data as { id?: unknown }).id)
			const b = Number.isInteger(backupId) ? await prisma.backup.findUnique({ where: { id: backupId } }) : null
			if (!b?.file || b.status !== 'succeeded' || b.deletedAt) return finish(d.id, 'skipped', 'backup file gone')
			// the Bot API takes uploads up to 50 MB (sendDocument); a larger backup stays on disk only
			if (b.bytes != null && b.bytes > MAX_UPLOAD_BYTES) return finish(d.id, 'failed', 'backup larger than the Bot API upload limit (50 MB)')
			const caption = await telegramText('notify.telegram.backupCaption', user?.locale ?? null, { id: String(b.id), sha256: b.sha256 ?? '' })
			messageId = (await api.sendDocument(chat, new InputFile(createReadStream(b.file), basename(b.file)), { caption })).message_id
		} else {
			messageId = (await api.sendMessage(chat, await renderNotification(n, user?.locale ?? null))).message_id
		}
		await prisma.telegramDelivery.update({ where: { id: d.id }, data: { status: 'sent', sentAt: new Date(), messageId: BigInt(messageId), attempts: { increment: 1 }, error: null } })
		return 'sent'
	} catch (e) {
		const f = classify(e)
		if (f.kind === 'flood') {
			const ms = f.retryAfterSec * 1000
			await holdChat(d.chatId, ms)
			const { attempts } = await prisma.telegramDelivery.update({ where: { id: d.id }, data: { attempts: { increment: 1 }, error: `429 retry after ${f.retryAfterSec}s` } })
			if (attempts > MAX_FLOOD_RETRIES) return finish(d.id, 'failed', 'too many 429s')
			await comeBack(d.id, ms)
			return 'flood'
		}
		if (f.kind === 'blocked') {
			await prisma.$transaction([
				prisma.telegramLink.updateMany({ where: { userId: d.userId, chatId: d.chatId }, data: { blockedAt: new Date() } }),
				prisma.telegramDelivery.updateMany({ where: { userId: d.userId, status: 'pending' }, data: { status: 'blocked', error: f.description.slice(0, 300) } }),
			])
			return 'blocked'
		}
		if (f.kind === 'permanent') return finish(d.id, 'failed', f.description)
		await prisma.telegramDelivery.update({ where: { id: d.id }, data: { attempts: { increment: 1 }, error: f.description.slice(0, 300) } })
		throw e
	}
}

async function finish(id: bigint, status: 'skipped' | 'blocked' | 'failed', error: string): Promise<DeliverOutcome> {
	await prisma.telegramDelivery.updateMany({ where: { id, status: 'pending' }, data: { status, error: error.slice(0, 300) } })
	return status
}

/**
 * The same job again in `inMs` (a 429's retry_after, or the limiter's next slot). Called from
 * inside the running job: graphile-worker's add_job then clears the running job's key and makes
 * a new one, so this job finishes and the new one waits (its attempts start at zero).
 */
async function comeBack(id: bigint, inMs: number) {
	await prisma.$executeRaw`select graphile_worker.add_job(${SEND_TASK}::text, json_build_object('deliveryId', ${String(id)}::text),
		run_at := now() + ${Math.ceil(inMs)}::int * interval '1 millisecond', max_attempts := ${SEND_MAX_ATTEMPTS}::int, job_key := ${sendJobKey(id)}::text)`
}
