// /admin/telegram: the token is tested with getMe before saving (a refused token saves nothing),
// sealed at rest and never sent back; a blank token keeps the stored one; the Bot API can be
// reached through an HTTP proxy (undici's ProxyAgent tunnels with CONNECT, like a real proxy).
import http from 'node:http'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { action, loader } from '~/routes/admin+/telegram'
import { getTelegramSettings } from '~/services/telegram/settings.server'
import { prisma } from '~/utils/db.server'
import { startTelegramSim, type TelegramSim } from '../../sim/telegram-bot-api'
import { loginAs } from '../factories'
import { contextFor, formRequest, getRequest, settle } from '../helpers'

let sim: TelegramSim
let proxy: { url: string; tunnels: string[]; close(): Promise<void> }
beforeAll(async () => {
	sim = await startTelegramSim({ botUsername: 'hub_alerts_bot' })
	proxy = await startConnectProxy()
})
afterAll(async () => {
	await sim.close()
	await proxy.close()
})

type Reply = { data: { result: { error?: Record<string, string[] | null> } }; init: { status?: number } | null }
const save = (cookie: string, fields: Record<string, string>) => settle(() => action({ request: formRequest('/admin/telegram', { intent: 'save', ...fields }, { cookie }), params: {}, context: contextFor() }))

describe('/admin/telegram', () => {
	test('a refused token saves nothing; a good one is checked, sealed, and names the bot', async () => {
		const { cookie } = await loginAs('admin')
		const bad = (await save(cookie, { enabled: 'on', token: '999:AAwrong-token-wrong-token-wrong', apiRoot: sim.url })) as unknown as Reply
		expect(bad.init?.status).toBe(400)
		expect(bad.data.result.error?.token).toEqual(['notify.admin.errors.tokenRejected'])
		expect(await prisma.setting.findUnique({ where: { key: 'telegram' } })).toBeNull()

		const none = (await save(cookie, { enabled: 'on', apiRoot: sim.url })) as unknown as Reply
		expect(none.data.result.error?.token).toEqual(['notify.admin.errors.tokenRequired'])

		expect(((await save(cookie, { enabled: 'on', token: sim.token, apiRoot: `${sim.url}/`, sendBackups: 'on' })) as Response).status).toBe(302)
		const row = await prisma.setting.findUniqueOrThrow({ where: { key: 'telegram' } })
		expect(JSON.stringify(row.value)).not.toContain(sim.token)
		expect((row.value as { token: string }).token).toMatch(/^v1\./)
		expect(await getTelegramSettings()).toMatchObject({ enabled: true, token: sim.token, apiRoot: sim.url, botUsername: 'hub_alerts_bot', sendBackups: true })

		// saved again with a blank token: it stays; the page never shows it
		expect(((await save(cookie, { enabled: 'on', token: '', apiRoot: sim.url })) as Response).status).toBe(302)
		expect((await getTelegramSettings()).token).toBe(sim.token)
		const page = await loader({ request: getRequest('/admin/telegram', cookie), params: {}, context: contextFor() })
		expect(JSON.stringify(page)).not.toContain(sim.token)
		expect(page.settings).toMatchObject({ tokenSet: true, botUsername: 'hub_alerts_bot', enabled: true })
	})

	test('through an HTTP proxy: getMe goes by CONNECT; an unreachable proxy is a translated 400', async () => {
		const { cookie } = await loginAs('admin')
		const dead = (await save(cookie, { enabled: 'on', token: sim.token, apiRoot: sim.url, proxyUrl: 'http://127.0.0.1:9' })) as unknown as Reply
		expect(dead.init?.status).toBe(400)
		expect(JSON.stringify(dead.data.result)).toContain('notify.admin.errors.unreachable')

		expect(((await save(cookie, { enabled: 'on', token: sim.token, apiRoot: sim.url, proxyUrl: proxy.url })) as Response).status).toBe(302)
		expect(proxy.tunnels).toEqual([`127.0.0.1:${sim.port}`])
		expect((await getTelegramSettings()).proxyUrl).toBe(proxy.url)
		expect(JSON.stringify((await prisma.setting.findUniqueOrThrow({ where: { key: 'telegram' } })).value)).not.toContain(proxy.url)

		expect(((await save(cookie, { enabled: 'on', apiRoot: sim.url, proxyRemove: 'on' })) as Response).status).toBe(302)
		expect((await getTelegramSettings()).proxyUrl).toBeNull()
	})

	test('only admins', async () => {
		const { cookie } = await loginAs('reseller')
		const r = await settle(() => loader({ request: getRequest('/admin/telegram', cookie), params: {}, context: contextFor() }))
		expect((r as Response).status).toBeGreaterThanOrEqual(300)
		expect((r as Response).status).toBeLessThan(500)
	})
})

/** A minimal forward proxy: CONNECT host:port → a TCP tunnel (what undici's ProxyAgent asks for). */
async function startConnectProxy() {
	const tunnels: string[] = []
	const server = http.createServer((_req, res) => res.writeHead(405).end())
	server.on('connect', (req, client: net.Socket, head: Buffer) => {
		tunnels.push(req.url ?? '')
		const [host, port] = (req.url ?? '').split(':')
		const upstream = net.connect(Number(port), host, () => {
			client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
			upstream.write(head)
			upstream.pipe(client)
			client.pipe(upstream)
		})
		upstream.on('error', () => client.destroy())
		client.on('error', () => upstream.destroy())
	})
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		tunnels,
		async close() {
			server.closeAllConnections()
			await new Promise<void>((r) => server.close(() => r()))
		},
	}
}
