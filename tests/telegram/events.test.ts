// The catalogue's new conditions, raised by the periodic pass (generateNotifications): node back
// after down, usage counters stale, the last day before expiry, the whole quota used, a wallet
// running low; end users hear about their own services (audience 'user') in /account and by
// Telegram; a successful backup's file goes to linked admins by sendDocument when that is on.
import { randomUUID } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { post } from '~/services/billing/ledger.server'
import { generateNotifications, notify } from '~/services/notifications.server'
import { getSettings } from '~/services/settings.server'
import { EVENTS, eventOfKind } from '~/services/telegram/events'
import { loader as accountLoader } from '~/routes/account+/index'
import { prisma } from '~/utils/db.server'
import en from '~/locales/en/telegram.json'
import fa from '~/locales/fa/telegram.json'
import enAutomation from '~/locales/en/automation.json'
import faAutomation from '~/locales/fa/automation.json'
import type { TelegramSim } from '../../sim/telegram-bot-api'
import { createReseller, fund } from '../billing/fixtures'
import { createUser, loginAs } from '../factories'
import { contextFor, getRequest } from '../helpers'
import { clearJobs, configureBot, linkChat, messagesTo, runJobs, startBot } from './fixtures'

const GB = 1024n ** 3n
const DAY = 86_400_000
let sim: TelegramSim
beforeAll(async () => {
	sim = await startBot()
})
afterAll(() => sim.close())
beforeEach(async () => {
	await clearJobs()
	sim.reset()
	await configureBot(sim)
	await run() // whatever earlier tests left is notified before each test counts its own
})
const run = async () => generateNotifications(await getSettings())
const kinds = (kind: string) => prisma.notification.findMany({ where: { kind }, orderBy: { id: 'asc' } })
const node = (data: { health?: 'ok' | 'down'; lastSyncError?: string | null; usageStale?: boolean } = {}) =>
	prisma.node.create({ data: { name: `N${randomUUID().slice(0, 6)}`, kind: 'marzban', baseUrl: 'http://127.0.0.1:9', secrets: 'x', ...data } })
const customer = (data: { resellerId?: number | null; userId?: number | null; expireAt?: Date; usedBytes?: bigint; dataLimitBytes?: bigint }) =>
	prisma.customer.create({ data: { username: `c${randomUUID().slice(0, 8)}`, dataLimitBytes: 10n * GB, expireAt: new Date(Date.now() + 30 * DAY), subToken: randomUUID(), ...data } })

describe('the catalogue', () => {
	test('every kind the hub raises belongs to one event, and every event has its text in both languages', () => {
		const kinds = EVENTS.flatMap((e) => e.kinds)
		expect(new Set(kinds).size).toBe(kinds.length)
		for (const k of Object.keys(enAutomation.automation.notifications)) expect(eventOfKind(k), k).toBeDefined()
		for (const e of EVENTS) {
			expect((en.notify.events as Record<string, string>)[e.id], e.id).toBeTruthy()
			expect((fa.notify.events as Record<string, string>)[e.id], e.id).toMatch(/[\u0600-\u06FF]/)
			for (const k of e.kinds) {
				expect((enAutomation.automation.notifications as Record<string, string>)[k], k).toBeTruthy()
				expect((faAutomation.automation.notifications as Record<string, string>)[k], k).toBeTruthy()
			}
		}
	})
})

describe('new conditions', () => {
	test('node back: once per down episode, when it answers and syncs again', async () => {
		const n = await node({ health: 'down', lastSyncError: 'refused' })
		expect(await run()).toBe(1) // down
		expect(await run()).toBe(0)
		await prisma.node.update({ where: { id: n.id }, data: { health: 'ok', lastSyncError: null } })
		expect(await run()).toBe(1)
		expect(await run()).toBe(0)
		expect((await kinds('node_back')).at(-1)).toMatchObject({ audience: 'admin', data: { nodeId: n.id, nodeName: n.name } })
	})

	test('sync stale: once per node and last movement of its counters', async () => {
		const n = await node({ usageStale: true })
		expect(await run()).toBe(1)
		expect(await run()).toBe(0)
		expect((await kinds('sync_stale')).at(-1)).toMatchObject({ data: { nodeId: n.id } })
	})

	test('the last day and the whole quota: to the reseller, each once; the 3-day notice leaves the last day to them', async () => {
		const { reseller } = await createReseller({ nodeIds: [] })
		const c = await customer({ resellerId: reseller.id, expireAt: new Date(Date.now() + 12 * 3_600_000), usedBytes: 10n * GB })
		expect(await run()).toBe(3) // expiring_1d, usage_threshold (80 %), usage_exhausted
		expect(await run()).toBe(0)
		expect((await kinds('expiring_1d')).at(-1)).toMatchObject({ resellerId: reseller.id, data: { customerId: c.id } })
		expect((await kinds('usage_exhausted')).at(-1)).toMatchObject({ resellerId: reseller.id, data: { customerId: c.id, percent: 100 } })
		expect((await kinds('expiring')).filter((n) => (n.data as { customerId: number }).customerId === c.id)).toHaveLength(0)
	})

	test('balance low: under three days of the last week\'s charges; once per top-up', async () => {
		const { reseller } = await createReseller({ nodeIds: [], funds: 1_000n })
		const charge = (amount: bigint) => prisma.$transaction((tx) => post(tx, { resellerId: reseller.id, account: 'money', amount: -amount, kind: 'charge', idempotencyKey: randomUUID() }))
		await charge(300n) // 700 left, 300 a week: more than three days
		expect(await run()).toBe(0)
		await charge(500n) // 200 left, 800 a week: 1.75 days
		expect(await run()).toBe(1)
		expect(await run()).toBe(0)
		expect((await kinds('balance_low')).at(-1)).toMatchObject({ resellerId: reseller.id, data: { balance: '200', currency: 'USD', days: 1 } })
		await fund(reseller.id, 100n) // topped up, still low: a new episode
		expect(await run()).toBe(1)
	})
})

describe('end users', () => {
	test('his service\'s usage and expiry reach him in /account and by Telegram; others see none of it', async () => {
		const { user, cookie } = await loginAs('customer')
		const other = await createUser('customer')
		await linkChat(sim, user.id, 3100)
		const c = await customer({ userId: user.id, expireAt: new Date(Date.now() + 2 * DAY), usedBytes: 9n * GB })
		await customer({ userId: other.id, expireAt: new Date(Date.now() + 2 * DAY) })
		expect(await run()).toBe(3) // his expiring + usage 80 %, the other's expiring
		await runJobs()
		const texts = messagesTo(sim, 3100).map((m) => m.text)
		expect(texts).toHaveLength(2)
		expect(texts.join('\n')).toContain(c.username)
		const page = (await accountLoader({ request: getRequest('/account', cookie), params: {}, context: contextFor() })) as Awaited<ReturnType<typeof accountLoader>>
		expect(page.notifications.map((n) => n.kind).sort()).toEqual(['expiring', 'usage_threshold'])
		expect(page.notifications.every((n) => (n.data as { customerId: number }).customerId === c.id)).toBe(true)
	})
})

describe('backups to Telegram', () => {
	test('a successful backup\'s file goes to linked admins by sendDocument when "send backups" is on', async () => {
		const admin = await createUser('admin')
		await linkChat(sim, admin.id, 3200)
		const dir = await mkdtemp(path.join(tmpdir(), 'tg-backup-'))
		const file = path.join(dir, 'guardino-test.json.gz')
		const bytes = Buffer.from('not really a backup, but bytes all the same')
		await writeFile(file, bytes)
		const sha256 = createHash('sha256').update(bytes).digest('hex')
		const b1 = await prisma.backup.create({ data: { trigger: 'manual', status: 'succeeded', file, bytes: BigInt(bytes.length), sha256, finishedAt: new Date() } })
		await notify({ audience: 'admin', kind: 'backup_succeeded', data: { id: b1.id, bytes: String(bytes.length) }, dedupeKey: `backup_succeeded:${b1.id}` })
		await runJobs()
		expect(messagesTo(sim, 3200)).toHaveLength(0) // off by default (and the message event too)

		await configureBot(sim, { sendBackups: true })
		const b2 = await prisma.backup.create({ data: { trigger: 'manual', status: 'succeeded', file, bytes: BigInt(bytes.length), sha256, finishedAt: new Date() } })
		await notify({ audience: 'admin', kind: 'backup_succeeded', data: { id: b2.id, bytes: String(bytes.length) }, dedupeKey: `backup_succeeded:${b2.id}` })
		await runJobs()
		const [doc] = messagesTo(sim, 3200)
		expect(doc).toMatchObject({ method: 'sendDocument', fileName: 'guardino-test.json.gz', fileBytes: bytes.length, fileSha256: sha256 })
		expect(doc!.caption).toContain(sha256)
	})
})
