// Notifications by Telegram through the fake Bot API over a real socket: delivered once per event
// (the same event twice → one message), paced and rescheduled on 429 by retry_after (the job's
// run_at moves; nothing sleeps), stopped for good on 403 "blocked", and only for events the
// recipient wants.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { notify } from '~/services/notifications.server'
import { fanOut } from '~/services/telegram/fanout.server'
import { savePreferences } from '~/services/telegram/link.server'
import { prisma } from '~/utils/db.server'
import type { TelegramSim } from '../../sim/telegram-bot-api'
import { createReseller } from '../billing/fixtures'
import { createUser } from '../factories'
import { clearJobs, dbNowMs, linkChat, messagesTo, runJobs, sendJob, startBot } from './fixtures'

let sim: TelegramSim
let adminId: number
const ADMIN_CHAT = 9001
beforeAll(async () => {
	sim = await startBot()
	adminId = (await createUser('admin')).id
})
afterAll(() => sim.close())
beforeEach(async () => {
	await clearJobs()
	sim.reset()
	await linkChat(sim, adminId, ADMIN_CHAT)
})

let seq = 0
const backupFailed = (key = `t${++seq}`) => ({ audience: 'admin' as const, kind: 'backup_failed' as const, data: { id: seq, error: 'disk full' }, dedupeKey: `backup_failed:${key}` })
const deliveriesOf = async (dedupeKey: string) => {
	const n = await prisma.notification.findUniqueOrThrow({ where: { dedupeKey } })
	return prisma.telegramDelivery.findMany({ where: { notificationId: n.id } })
}

describe('delivery', () => {
	test('a notification reaches the linked admin in his language, once per event', async () => {
		await prisma.user.update({ where: { id: adminId }, data: { locale: 'fa' } })
		const n = backupFailed()
		expect(await notify(n)).toBe(true)
		await runJobs()
		const sent = messagesTo(sim, ADMIN_CHAT)
		expect(sent).toHaveLength(1)
		expect(sent[0]!.text).toContain('پشتیبان‌گیری') // automation.notifications.backup_failed in Persian
		expect(sent[0]!.text).toContain('disk full')
		const [d] = await deliveriesOf(n.dedupeKey)
		expect(d).toMatchObject({ status: 'sent', messageId: BigInt(sent[0]!.messageId) })

		// the same event again: no second notification, no second message
		expect(await notify(n)).toBe(false)
		await runJobs()
		// and a repeated fan-out of the same notification adds no delivery either
		expect((await fanOut(d!.notificationId)).created).toBe(0)
		await runJobs()
		expect(messagesTo(sim, ADMIN_CHAT)).toHaveLength(1)
		await prisma.user.update({ where: { id: adminId }, data: { locale: null } })
	})

	test('429: the job comes back after retry_after (its run_at moves), then delivers', async () => {
		sim.flood(1, 7, ADMIN_CHAT)
		const n = backupFailed()
		await notify(n)
		const before = await dbNowMs()
		await runJobs()
		const after = await dbNowMs()
		expect(messagesTo(sim, ADMIN_CHAT)).toHaveLength(0)
		const [d] = await deliveriesOf(n.dedupeKey)
		expect(d).toMatchObject({ status: 'pending', attempts: 1 })
		const job = await sendJob(d!.id)
		expect(job).not.toBeNull()
		expect(job!.attempts).toBe(0) // a 429 is not a failed attempt
		expect(job!.runAtMs).toBeGreaterThanOrEqual(before + 7_000 - 2)
		expect(job!.runAtMs).toBeLessThanOrEqual(after + 7_000 + 2)
		// the chat's next slot is held as long, so other messages to it wait too
		const [rate] = await prisma.$queryRaw<Array<{ ms: number }>>`select extract(epoch from next_at) * 1000 as ms from telegram_rate where key = ${`chat:${ADMIN_CHAT}`}`
		expect(Number(rate!.ms)).toBeGreaterThanOrEqual(before + 7_000 - 2)

		// "later": the job is due now (no sleeping in the test)
		await prisma.$executeRaw`update graphile_worker._private_jobs set run_at = now() where key = ${`telegram_send:${d!.id}`}`
		await runJobs()
		expect(messagesTo(sim, ADMIN_CHAT)).toHaveLength(1)
		expect((await prisma.telegramDelivery.findUniqueOrThrow({ where: { id: d!.id } })).status).toBe('sent')
	})

	test('403 blocked: the link is marked blocked and nothing more is sent to it', async () => {
		sim.block(ADMIN_CHAT)
		const first = backupFailed()
		await notify(first)
		await runJobs()
		expect((await prisma.telegramLink.findUniqueOrThrow({ where: { userId: adminId } })).blockedAt).not.toBeNull()
		expect((await deliveriesOf(first.dedupeKey))[0]!.status).toBe('blocked')
		const calls = sim.calls.sendMessage ?? 0
		expect(calls).toBe(1)

		await notify(backupFailed())
		await runJobs()
		expect(sim.calls.sendMessage ?? 0).toBe(calls) // not even tried
		expect(await prisma.$queryRaw<unknown[]>`select 1 from graphile_worker.jobs where task_identifier like 'telegram_%'`).toHaveLength(0)
	})

	test('a 5xx or network failure is retried with backoff (the job fails, the delivery stays pending)', async () => {
		const n = backupFailed()
		await notify(n)
		await sim.close().catch(() => {}) // nobody answers
		try {
			await runJobs()
			const [d] = await deliveriesOf(n.dedupeKey)
			expect(d).toMatchObject({ status: 'pending', attempts: 1 })
			const job = await sendJob(d!.id)
			expect(job!.attempts).toBe(1)
		} finally {
			sim = await startBot()
			await linkChat(sim, adminId, ADMIN_CHAT)
		}
	})
})

describe('who gets what', () => {
	test('a reseller gets his own events only, and only the ones he keeps on', async () => {
		const a = await createReseller({ nodeIds: [] })
		const b = await createReseller({ nodeIds: [] })
		await linkChat(sim, a.user.id, 7001)
		await linkChat(sim, b.user.id, 7002)
		await savePreferences(a.user.id, { usage_80: false })
		await notify({ audience: 'reseller', resellerId: a.reseller.id, kind: 'usage_threshold', data: { customerId: 1, username: 'ali', percent: 80, usedBytes: '8', limitBytes: '10' }, dedupeKey: `usage-test:${seq++}` })
		await notify({ audience: 'reseller', resellerId: a.reseller.id, kind: 'pool_low', data: { remainingBytes: '1', totalBytes: '10', percentLeft: 10 }, dedupeKey: `pool-test:${seq++}` })
		await runJobs()
		expect(messagesTo(sim, 7001).map((m) => m.text)).toEqual([expect.stringContaining('traffic pool')])
		expect(messagesTo(sim, 7002)).toHaveLength(0)
		expect(messagesTo(sim, ADMIN_CHAT)).toHaveLength(0)
	})

	test('an event that is off by default (backup succeeded) is sent only after the admin turns it on', async () => {
		await notify({ audience: 'admin', kind: 'backup_succeeded', data: { id: 1, bytes: '10' }, dedupeKey: `ok-test:${seq++}` })
		await runJobs()
		expect(messagesTo(sim, ADMIN_CHAT)).toHaveLength(0)
		await savePreferences(adminId, { backup_succeeded: true })
		await notify({ audience: 'admin', kind: 'backup_succeeded', data: { id: 2, bytes: '10' }, dedupeKey: `ok-test:${seq++}` })
		await runJobs()
		expect(messagesTo(sim, ADMIN_CHAT)).toHaveLength(1)
		await savePreferences(adminId, {})
	})

	test('nothing is queued while no recipient linked Telegram', async () => {
		await prisma.telegramLink.deleteMany()
		await notify(backupFailed())
		expect(await prisma.$queryRaw<unknown[]>`select 1 from graphile_worker.jobs where task_identifier = 'telegram_fanout'`).toHaveLength(0)
	})
})
