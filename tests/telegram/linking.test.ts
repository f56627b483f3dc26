// Linking Telegram from a profile page: the page's POST makes a one-time code (shown once, only its
// hash stored); "/start <code>" sent to the fake Bot API reaches the hub by getUpdates (the poll
// job the code queued) and binds that chat. Expired, reused, replaced and made-up codes are
// refused, each with its own answer in the chat. Event choices are plain checkboxes.
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { action as adminAction, loader as adminLoader } from '~/routes/admin+/notifications'
import { action as profileAction, loader as profileLoader } from '~/routes/account+/profile'
import { action as resellerAction } from '~/routes/reseller+/notifications'
import { pollUpdates } from '~/services/telegram/poll.server'
import { preferencesOf } from '~/services/telegram/link.server'
import { prisma } from '~/utils/db.server'
import type { TelegramSim } from '../../sim/telegram-bot-api'
import { createReseller } from '../billing/fixtures'
import { loginAs } from '../factories'
import { contextFor, formRequest, getRequest, settle } from '../helpers'
import { clearJobs, configureBot, runJobs, startBot } from './fixtures'
import { createSession } from '~/utils/auth.server'

let sim: TelegramSim
beforeAll(async () => {
	sim = await startBot()
})
afterAll(() => sim.close())
beforeEach(async () => {
	await clearJobs()
	sim.reset()
	await configureBot(sim)
})

type CodeReply = { data: { telegram: { code: string; link: string; expiresAt: string } | null; error: string | null }; init: { status?: number } | null }
const post = (act: typeof adminAction, path: string, cookie: string, fields: Record<string, string> | URLSearchParams) =>
	settle(() => act({ request: fields instanceof URLSearchParams ? new Request(`http://localhost${path}`, { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body: fields }) : formRequest(path, fields, { cookie }), params: {}, context: contextFor() }))
const askCode = async (act: typeof adminAction, path: string, cookie: string) => ((await post(act, path, cookie, { intent: 'tg_code' })) as unknown as CodeReply).data.telegram!
const lastReply = (chatId: number) => sim.sent.filter((m) => m.chatId === chatId).at(-1)?.text

describe('linking by /start <code>', () => {
	test('an admin links his chat: code from the page, /start in Telegram, bound by the poll job', async () => {
		const { user, cookie } = await loginAs('admin')
		const issued = await askCode(adminAction, '/admin/notifications', cookie)
		expect(issued.link).toBe(`https://t.me/${sim.botUsername}?start=${issued.code}`)
		// only the hash is kept
		const row = await prisma.telegramLinkCode.findFirstOrThrow({ where: { userId: user.id } })
		expect(row.codeHash).toBe(createHash('sha256').update(issued.code).digest('hex'))
		expect(JSON.stringify(await prisma.telegramLinkCode.findMany())).not.toContain(issued.code)
		expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(15 * 60_000)

		sim.userSends({ id: 4242, username: 'boss' }, `/start ${issued.code}`)
		await runJobs() // the poll job queued with the code
		expect(await prisma.telegramLink.findUnique({ where: { userId: user.id } })).toMatchObject({ chatId: 4242n, tgUsername: 'boss', blockedAt: null })
		expect(lastReply(4242)).toContain('Linked')

		const page = (await adminLoader({ request: getRequest('/admin/notifications', cookie), params: {}, context: contextFor() })) as Awaited<ReturnType<typeof adminLoader>>
		expect(page.telegram).toMatchObject({ available: true, link: { tgUsername: 'boss', blocked: false } })
	})

	test('a used code is refused (the first chat stays linked); so are expired, replaced and made-up ones', async () => {
		const { user, cookie } = await loginAs('admin')
		const first = await askCode(adminAction, '/admin/notifications', cookie)
		sim.userSends({ id: 5001 }, `/start ${first.code}`)
		await pollUpdates()
		sim.userSends({ id: 5002 }, `/start ${first.code}`) // someone who saw the code
		await pollUpdates()
		expect((await prisma.telegramLink.findUniqueOrThrow({ where: { userId: user.id } })).chatId).toBe(5001n)
		expect(lastReply(5002)).toContain('already used')

		const expired = await askCode(adminAction, '/admin/notifications', cookie)
		await prisma.telegramLinkCode.updateMany({ where: { userId: user.id, usedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } })
		sim.userSends({ id: 5003 }, `/start ${expired.code}`)
		await pollUpdates()
		expect(lastReply(5003)).toContain('expired')

		const replaced = await askCode(adminAction, '/admin/notifications', cookie)
		await askCode(adminAction, '/admin/notifications', cookie) // a newer code voids the older one
		sim.userSends({ id: 5004 }, `/start ${replaced.code}`)
		sim.userSends({ id: 5005 }, '/start not-a-real-code-at-all')
		sim.userSends({ id: 5006 }, '/start')
		await pollUpdates()
		expect(lastReply(5004)).toContain('already used')
		expect(lastReply(5005)).toContain('not valid')
		expect(lastReply(5006)).toContain('profile page')
		expect((await prisma.telegramLink.findUniqueOrThrow({ where: { userId: user.id } })).chatId).toBe(5001n)
		// every update was confirmed: a second poll sees none of them again
		expect((await pollUpdates()).updates).toBe(0)
	})

	test('a reseller and an end user link the same way from their own pages', async () => {
		const { user: rUser } = await createReseller({ nodeIds: [] })
		const rCookie = (await createSession(rUser.id, new Request('http://localhost/'))).split(';')[0]!
		const r = await askCode(resellerAction, '/reseller/notifications', rCookie)
		const { user: endUser, cookie: uCookie } = await loginAs('customer')
		const u = await askCode(profileAction as typeof adminAction, '/account/profile', uCookie)
		sim.userSends({ id: 6001 }, `/start ${r.code}`)
		sim.userSends({ id: 6002 }, `/start ${u.code}`)
		await pollUpdates()
		expect((await prisma.telegramLink.findUniqueOrThrow({ where: { userId: rUser.id } })).chatId).toBe(6001n)
		expect((await prisma.telegramLink.findUniqueOrThrow({ where: { userId: endUser.id } })).chatId).toBe(6002n)
		const page = (await profileLoader({ request: getRequest('/account/profile', uCookie), params: {}, context: contextFor() })) as Awaited<ReturnType<typeof profileLoader>>
		expect(page.telegram.events.map((e) => e.id)).toEqual(['receipt_approved', 'receipt_rejected', 'usage_80', 'usage_100', 'expiry_3d', 'expiry_1d'])
	})

	test('no bot configured: no code, a translated 409', async () => {
		await configureBot(sim, { enabled: false })
		const { cookie } = await loginAs('admin')
		const r = (await post(adminAction, '/admin/notifications', cookie, { intent: 'tg_code' })) as unknown as CodeReply
		expect(r.init?.status).toBe(409)
		expect(r.data.error).toBe('notify.card.unavailable')
	})
})

describe('event choices and unlink', () => {
	test('checkboxes decide every event of the audience; unknown events are a 400; unlink removes the chat', async () => {
		const { user, cookie } = await loginAs('admin')
		await prisma.telegramLink.create({ data: { userId: user.id, chatId: 77n } })
		const form = new URLSearchParams([['intent', 'tg_prefs'], ['prefs', '1'], ['event', 'node_down'], ['event', 'backup_succeeded']])
		expect(((await post(adminAction, '/admin/notifications', cookie, form)) as Response).status).toBe(302)
		const p = await preferencesOf(user.id)
		expect(p).toMatchObject({ node_down: true, backup_succeeded: true, backup_failed: false, receipt_submitted: false })
		expect(Object.keys(p)).not.toContain('usage_80') // not an admin event

		const bad = (await post(adminAction, '/admin/notifications', cookie, new URLSearchParams([['intent', 'tg_prefs'], ['prefs', '1'], ['event', 'usage_80']]))) as unknown as CodeReply
		expect(bad.init?.status).toBe(400)
		// a bare intent (no marker) is not a save of "everything off"
		const bare = (await post(adminAction, '/admin/notifications', cookie, { intent: 'tg_prefs' })) as unknown as CodeReply
		expect(bare.init?.status).toBe(400)
		expect(await preferencesOf(user.id)).toMatchObject({ node_down: true })

		expect(((await post(adminAction, '/admin/notifications', cookie, { intent: 'tg_unlink' })) as Response).status).toBe(302)
		expect(await prisma.telegramLink.findUnique({ where: { userId: user.id } })).toBeNull()
	})

	test('the feed forms still work beside the Telegram ones; bad input is a 400', async () => {
		const { cookie } = await loginAs('admin')
		expect(((await post(adminAction, '/admin/notifications', cookie, { intent: 'read_all' })) as Response).status).toBe(302)
		const bad = (await post(adminAction, '/admin/notifications', cookie, { intent: 'nope' })) as unknown as CodeReply
		expect(bad.init?.status).toBe(400)
	})
})
