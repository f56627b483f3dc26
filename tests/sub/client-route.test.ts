// /sub/{token} for VPN clients: the format follows the User-Agent (Marzban's rules) unless
// `?format=` says otherwise, and every format carries the same headers. Checked on the raw
// Express fast path over a real socket (what production serves) and on the Remix loader (dev).
import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { loader as subLoader } from '~/routes/sub+/$token'
import { formatForUserAgent } from '~/services/subscription/client-format'
import { requestContext, subscriptionFastPath } from '../../server/middleware'
import { contextFor, settle } from '../helpers'
import { ALL_LINKS, createSubCustomer } from './fixtures'

let base: string
let server: ReturnType<ReturnType<typeof express>['listen']>
let token: string
let username: string
beforeAll(async () => {
	const app = express()
	app.use(requestContext(false))
	app.get('/sub/:token', subscriptionFastPath)
	// What Remix would get: proves the fast path let a browser through.
	app.use((_req, res) => res.status(299).send('fell through to Remix'))
	server = app.listen(0, '127.0.0.1')
	await new Promise((r) => server.once('listening', r))
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
	const c = await createSubCustomer({ username: 'formats_user' })
	token = c.token
	username = c.customer.username
})
afterAll(() => new Promise((r) => server.close(r)))

const fetchSub = (query = '', headers: Record<string, string> = {}) => fetch(`${base}/sub/${token}${query}`, { headers: { accept: '*/*', ...headers } })

describe('User-Agent rules (Marzban v0.8.4 app/routers/subscription.py, PasarGuard default rules)', () => {
	test.each([
		['ClashMetaForAndroid/2.11.1.Meta', 'clash-meta'],
		['clash-verge/v2.0.3', 'clash-meta'],
		['FlClash/v0.8.80 clash-verge Platform/android', 'clash-meta'],
		['mihomo/1.19.0', 'clash-meta'],
		['clash.meta', 'clash-meta'],
		['ClashX Meta/1.4.10', 'clash-meta'],
		['clash-nyanpasu/v1.6.1', 'clash-meta'],
		['ClashForAndroid/2.5.12', 'clash'],
		['Stash/2.4.7 Clash/1.9.0', 'clash'],
		['SFA/1.12.8 (Android 14; sing-box 1.12.8)', 'sing-box'],
		['SFI/1.11.4 (iOS 17.5; sing-box 1.11.4)', 'sing-box'],
		['HiddifyNext/2.5.7 (android) like ClashMeta v2ray sing-box', 'sing-box'],
		['Karing/1.1.2.606 android', 'sing-box'],
		['sing-box 1.12.0', 'sing-box'],
		['v2rayNG/1.9.30', 'base64'],
		['v2rayN/7.4.2', 'base64'],
		['Streisand/1.6.40', 'base64'],
		['Happ/1.63.1', 'base64'],
		['', 'base64'],
		// An "X like ClashMeta" that is not a Clash app: the rules are anchored at the start.
		['SomeApp/1.0 like ClashMeta', 'base64'],
	])('%s → %s', (ua, format) => {
		expect(formatForUserAgent(ua)).toBe(format)
	})
})

describe('raw fast path (production)', () => {
	test('each client gets its format with the usage, interval, title and file-name headers', async () => {
		const cases: Array<[string, string, RegExp, (body: string) => void]> = [
			['v2rayNG/1.9.30', '', /^text\/plain/, (b) => expect(Buffer.from(b, 'base64').toString().split('\n')).toEqual(ALL_LINKS)],
			['ClashMetaForAndroid/2.11.1.Meta', '.yaml', /^text\/yaml/, (b) => expect((parseYaml(b) as { proxies: unknown[] }).proxies).toHaveLength(ALL_LINKS.length - 2)],
			['Stash/2.4.7', '.yaml', /^text\/yaml/, (b) => expect((parseYaml(b) as { proxies: Array<{ type: string }> }).proxies.some((p) => p.type === 'vless')).toBe(false)],
			['HiddifyNext/2.5.7 (android) like ClashMeta v2ray sing-box', '.json', /^application\/json/, (b) => expect((JSON.parse(b) as { outbounds: unknown[] }).outbounds.length).toBeGreaterThan(ALL_LINKS.length - 2)],
		]
		for (const [ua, ext, type, check] of cases) {
			const res = await fetchSub('', { 'user-agent': ua })
			expect(res.status, ua).toBe(200)
			expect(res.headers.get('content-type'), ua).toMatch(type)
			expect(res.headers.get('subscription-userinfo')).toMatch(new RegExp(`^upload=0; download=${12n * 1024n ** 3n}; total=${50n * 1024n ** 3n}; expire=\\d{10}$`))
			expect(res.headers.get('profile-update-interval')).toBe('12')
			expect(res.headers.get('profile-title')).toBe(`base64:${Buffer.from(username).toString('base64')}`)
			expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${username}${ext}"`)
			check(await res.text())
		}
	})

	test('?format= overrides the User-Agent, in Marzban and PasarGuard spellings', async () => {
		for (const [format, type] of [['sing-box', /json/], ['sing_box', /json/], ['clash-meta', /yaml/], ['clash_meta', /yaml/], ['clash', /yaml/], ['v2ray', /plain/], ['links', /plain/]] as const) {
			const res = await fetchSub(`?format=${format}`, { 'user-agent': 'ClashMetaForAndroid/2.11.1.Meta' })
			expect(res.status, format).toBe(200)
			expect(res.headers.get('content-type'), format).toMatch(type)
			expect(res.headers.get('subscription-userinfo')).toContain('download=')
		}
		const links = await fetchSub('?format=links', { 'user-agent': 'SFA/1.12.8' })
		expect((await links.text()).split('\n')).toEqual(ALL_LINKS)
	})

	test('an unknown format is a translated 400; a browser and the page\'s .data fall through to Remix unless a format is named', async () => {
		const fa = await fetchSub('?format=surge', { 'accept-language': 'fa-IR,fa;q=0.9' })
		expect(fa.status).toBe(400)
		expect(await fa.text()).toContain('قالب ناشناخته است')
		const en = await fetchSub('?format=surge&format=clash')
		expect(en.status).toBe(400)
		expect(await en.text()).toContain('Unknown format')
		const page = await fetchSub('', { accept: 'text/html,application/xhtml+xml' })
		expect(page.status).toBe(299)
		// Remix's single-fetch request of the page (sent with accept */*) is Remix's too.
		expect((await fetchSub('.data')).status).toBe(299)
		const download = await fetchSub('?format=clash-meta', { accept: 'text/html' })
		expect(download.status).toBe(200)
		expect(download.headers.get('content-type')).toMatch(/yaml/)
	})

	test('a disabled customer gets an empty but valid config in every format, headers kept', async () => {
		const c = await createSubCustomer({ status: 'disabled' as never })
		for (const format of ['clash-meta', 'sing-box', 'base64'] as const) {
			const res = await fetch(`${base}/sub/${c.token}?format=${format}`)
			expect(res.status).toBe(200)
			expect(res.headers.get('subscription-userinfo')).toContain('download=')
			const body = await res.text()
			if (format === 'clash-meta') expect((parseYaml(body) as { proxies: unknown[] }).proxies).toEqual([])
			if (format === 'sing-box') expect((JSON.parse(body) as { outbounds: Array<{ type: string }> }).outbounds.some((o) => o.type === 'vless')).toBe(false)
			if (format === 'base64') expect(body).toBe('')
		}
	})
})

describe('Remix loader (dev and tests)', () => {
	const call = (query: string, headers: Record<string, string>) => subLoader({ request: new Request(`http://hub.test/sub/${token}${query}`, { headers }), params: { token }, context: contextFor('198.51.100.40') })

	test('the same formats and headers as the fast path', async () => {
		const res = (await call('', { accept: '*/*', 'user-agent': 'SFI/1.11.4' })) as Response
		expect(res.headers.get('content-type')).toMatch(/^application\/json/)
		expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${username}.json"`)
		expect(res.headers.get('profile-title')).toMatch(/^base64:/)
		expect(res.headers.get('profile-web-page-url')).toBe(`http://hub.test/sub/${token}`)
		expect(JSON.parse(await res.text()).route.final).toBe('Proxy')
		const yaml = (await call('?format=clash-meta', { accept: 'text/html' })) as Response
		expect(yaml.headers.get('content-type')).toMatch(/^text\/yaml/)
		const bad = (await call('?format=nope', { accept: '*/*' })) as Response
		expect(bad.status).toBe(400)
	})

	test("the page's own .data request (flagged by the fast path) gets the page's data, not a config", async () => {
		const data = await subLoader({ request: new Request(`http://hub.test/sub/${token}`, { headers: { accept: '*/*' } }), params: { token }, context: { ...contextFor('198.51.100.42'), subPageData: true } })
		expect(data).not.toBeInstanceOf(Response)
		expect((data as { subUrl: string }).subUrl).toBe(`http://hub.test/sub/${token}`)
	})

	test('unknown tokens stay a 404 for clients', async () => {
		const res = (await settle(() => subLoader({ request: new Request('http://hub.test/sub/x', { headers: { accept: '*/*' } }), params: { token: 'y'.repeat(32) }, context: contextFor('198.51.100.41') }))) as Response
		expect(res.status).toBe(404)
	})
})
