// An end user reads about his own services in his own words ("Your service X expires in 2 days",
// "You have used 80 % of …"), by Telegram and on /account, while a reseller keeps the wording
// about his customer ("X expires on …", "X has used 80 % of his traffic"). Both come from the
// same periodic pass (generateNotifications) and the same kinds; only the audience differs.
import { randomUUID } from 'node:crypto'
import { createInstance } from 'i18next'
import { renderToString } from 'react-dom/server'
import { I18nextProvider, initReactI18next } from 'react-i18next'
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import AccountHome, { loader as accountLoader } from '~/routes/account+/index'
import { generateNotifications } from '~/services/notifications.server'
import { getSettings } from '~/services/settings.server'
import { renderNotification } from '~/services/telegram/message.server'
import { prisma } from '~/utils/db.server'
import { i18nOptions } from '~/utils/i18n'
import type { TelegramSim } from '../../sim/telegram-bot-api'
import { createReseller } from '../billing/fixtures'
import { loginAs } from '../factories'
import { BASE } from '../helpers'
import { clearJobs, linkChat, messagesTo, runJobs, startBot } from './fixtures'

const GB = 1024n ** 3n
const DAY = 86_400_000
let sim: TelegramSim
beforeAll(async () => {
	sim = await startBot()
	await clearJobs()
})
afterAll(() => sim.close())

const customer = (data: { resellerId?: number; userId?: number; expireAt: Date; usedBytes: bigint }) =>
	prisma.customer.create({ data: { username: `c${randomUUID().slice(0, 8)}`, dataLimitBytes: 10n * GB, subToken: randomUUID(), ...data } })

const usage = (username: string, percent: number, usedGb: bigint) => ({ customerId: 1, username, percent, usedBytes: String(usedGb * GB), limitBytes: String(10n * GB) })
const expiry = (username: string, days: number) => ({ customerId: 1, username, days, expireAt: new Date(Date.now() + days * DAY).toISOString() })

describe('the Telegram text of each customer event', () => {
	test('audience user: his own wording, in English and Persian', async () => {
		const user = (kind: string, data: object, lang: string) => renderNotification({ kind, audience: 'user', data }, lang)
		expect(await user('expiring', expiry('amir', 3), 'en')).toMatch(/^Your service amir expires in 3 days, on /)
		expect(await user('expiring_1d', expiry('amir', 1), 'en')).toMatch(/^Your service amir expires within a day, on /)
		expect(await user('usage_threshold', usage('amir', 80, 8n), 'en')).toMatch(/^You have used 80% of your service amir's traffic \(8 GB of 10 GB\)\./)
		expect(await user('usage_exhausted', usage('amir', 100, 10n), 'en')).toMatch(/^You have used all of your service amir's traffic \(10 GB of 10 GB\)\./)
		expect(await user('expiring', expiry('amir', 3), 'fa')).toMatch(/^سرویس amir شما ۳ روز دیگر، در .+، منقضی می‌شود\./)
		expect(await user('expiring_1d', expiry('amir', 1), 'fa')).toMatch(/^سرویس amir شما کمتر از یک روز دیگر/)
		expect(await user('usage_threshold', usage('amir', 80, 8n), 'fa')).toMatch(/^۸۰٪ از حجم سرویس amir خود را مصرف کرده‌اید \(۸ گیگابایت از ۱۰ گیگابایت\)\./)
		expect(await user('usage_exhausted', usage('amir', 100, 10n), 'fa')).toMatch(/^همهٔ حجم سرویس amir خود را مصرف کرده‌اید/)
	})

	test('audience reseller: the wording about his customer stays', async () => {
		const reseller = (kind: string, data: object, lang: string) => renderNotification({ kind, audience: 'reseller', data }, lang)
		expect(await reseller('expiring', expiry('amir', 3), 'en')).toMatch(/^amir expires on /)
		expect(await reseller('usage_threshold', usage('amir', 80, 8n), 'en')).toMatch(/^amir has used 80% of his traffic/)
		expect(await reseller('usage_exhausted', usage('amir', 100, 10n), 'fa')).toMatch(/^amir همهٔ ترافیکش را مصرف کرده است/)
		for (const kind of ['expiring', 'expiring_1d', 'usage_threshold', 'usage_exhausted']) {
			const text = await reseller(kind, kind.startsWith('usage') ? usage('amir', 80, 8n) : expiry('amir', 1), 'en')
			expect(text, kind).not.toMatch(/your service/i)
		}
	})

	test('a receipt decision has no customer in it: the shared "Your payment …" text serves both', async () => {
		const data = { paymentId: '7', amount: '1500000', currency: 'IRR' }
		for (const audience of ['user', 'reseller']) expect(await renderNotification({ kind: 'payment_approved', audience, data }, 'en')).toMatch(/^Your payment #7 of 1,500,000 Rial was approved/)
	})
})

describe('through the periodic pass', () => {
	test('the end user hears "Your service …" by Telegram and on /account; the reseller of another customer keeps his wording', async () => {
		const { user, cookie } = await loginAs('customer')
		await prisma.user.update({ where: { id: user.id }, data: { locale: 'en' } })
		await linkChat(sim, user.id, 4100)
		const mine = await customer({ userId: user.id, expireAt: new Date(Date.now() + 2 * DAY + 3_600_000), usedBytes: 9n * GB })
		const { user: rUser, reseller } = await createReseller({ nodeIds: [] })
		await prisma.user.update({ where: { id: rUser.id }, data: { locale: 'en' } })
		await linkChat(sim, rUser.id, 4200)
		const theirs = await customer({ resellerId: reseller.id, expireAt: new Date(Date.now() + 2 * DAY + 3_600_000), usedBytes: 9n * GB })

		await generateNotifications(await getSettings())
		await runJobs()
		const toUser = messagesTo(sim, 4100).map((m) => m.text).sort()
		expect(toUser).toHaveLength(2)
		expect(toUser[0]).toMatch(new RegExp(`^You have used 80% of your service ${mine.username}'s traffic \\(9 GB of 10 GB\\)`))
		expect(toUser[1]).toMatch(new RegExp(`^Your service ${mine.username} expires in 3 days, on `))
		const toReseller = messagesTo(sim, 4200).map((m) => m.text)
		expect(toReseller).toHaveLength(2)
		expect(toReseller.join('\n')).toContain(`${theirs.username} expires on`)
		expect(toReseller.join('\n')).toContain(`${theirs.username} has used`)
		expect(toReseller.join('\n')).not.toMatch(/your service/i)

		// the same rows on his /account page, in Persian
		const html = await renderAccount(cookie, 'fa')
		expect(html).toContain(`سرویس ${mine.username} شما ۳ روز دیگر`)
		expect(html).toContain(`۸۰٪ از حجم سرویس ${mine.username} خود را مصرف کرده‌اید`)
		expect(html).not.toContain(`${mine.username} در `)
	})
})

async function renderAccount(cookie: string, lang: 'en' | 'fa') {
	const i18n = createInstance()
	await i18n.use(initReactI18next).init({ ...i18nOptions, lng: lang })
	const handler = createStaticHandler([{ id: 'account', path: '/account', loader: ({ request }: { request: Request }) => accountLoader({ request, params: {}, context: {} }), Component: AccountHome }])
	const ctx = await handler.query(new Request(`${BASE}/account`, { headers: { Cookie: cookie, 'Accept-Language': lang } }))
	if (ctx instanceof Response) throw new Error(`unexpected response ${ctx.status}`)
	return renderToString(
		<I18nextProvider i18n={i18n}>
			<StaticRouterProvider router={createStaticRouter(handler.dataRoutes, ctx)} context={ctx} hydrate={false} />
		</I18nextProvider>,
	)
}
