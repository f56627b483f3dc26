// /sub/{token}: merged links with the headers for clients, a status page for browsers, 404s.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loader as subLoader } from '~/routes/sub+/$token'
import { loader as wgLoader } from '~/routes/sub+/$token.wg.$nodeId'
import { executeQuote } from '~/services/billing/orders.server'
import { createQuote } from '~/services/billing/quotes.server'
import { reconcileCustomer } from '~/services/provisioning.server'
import { prisma } from '~/utils/db.server'
import { startAllSims } from '../../sim/start-all'
import { createUser } from '../factories'
import { settle } from '../helpers'
import { createReseller, simNodes } from './fixtures'

let sims: Awaited<ReturnType<typeof startAllSims>>
let token: string
let customerId: number
let nodes: Awaited<ReturnType<typeof simNodes>>
beforeAll(async () => {
	sims = await startAllSims({ fixedPorts: false })
	nodes = await simNodes(sims, (await createUser('admin')).id)
	const { user } = await createReseller({ nodeIds: [nodes.marzban, nodes.marzneshin, nodes.wgdashboard], funds: 100_000n })
	const input = { kind: 'create' as const, username: 'subby', nodeIds: [nodes.marzban, nodes.marzneshin, nodes.wgdashboard], gb: 20, days: 30 }
	const q = await createQuote(user.id, input)
	const r = await executeQuote({ resellerUserId: user.id, quoteId: q.id, idempotencyKey: randomUUID(), inputs: input })
	await reconcileCustomer(r.customerId, r.orderId)
	customerId = r.customerId
	token = (await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).subToken
})
afterAll(() => sims.close())

const get = (path: string, accept = '*/*') => new Request(`http://hub.test${path}`, { headers: { accept, 'user-agent': 'v2rayNG/1.8' } })

describe('/sub/{token}', () => {
	test('a VPN client gets base64 share links of every active sub-account with the usage headers', async () => {
		await prisma.customer.update({ where: { id: customerId }, data: { usedBytes: 5n * 1024n ** 3n } })
		const res = (await subLoader({ request: get(`/sub/${token}`), params: { token }, context: {} })) as Response
		expect(res.status).toBe(200)
		const c = await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })
		expect(res.headers.get('subscription-userinfo')).toBe(`upload=0; download=${5n * 1024n ** 3n}; total=${20n * 1024n ** 3n}; expire=${Math.floor(c.expireAt.getTime() / 1000)}`)
		expect(res.headers.get('profile-update-interval')).toBe('12')
		const links = Buffer.from(await res.text(), 'base64').toString().split('\n')
		expect(links.length).toBeGreaterThanOrEqual(2) // marzban + marzneshin links; WireGuard is a file
		expect(links.every((l) => /^(vless|vmess|trojan|ss):\/\//.test(l))).toBe(true)
	})

	test('a browser gets the status page data; WireGuard configs download as files', async () => {
		const data = (await subLoader({ request: get(`/sub/${token}`, 'text/html'), params: { token }, context: {} })) as unknown as { nodes: Array<{ wireguard: unknown; nodeId: number }>; subUrl: string }
		expect(data.subUrl).toBe(`http://hub.test/sub/${token}`)
		const wg = data.nodes.find((n) => n.wireguard)!
		const file = (await wgLoader({ request: get(`/sub/${token}/wg/${wg.nodeId}`), params: { token, nodeId: String(wg.nodeId) }, context: {} })) as Response
		expect(file.headers.get('content-disposition')).toMatch(/attachment/)
		expect(await file.text()).toMatch(/\[Interface\][\s\S]*PrivateKey[\s\S]*\[Peer\]/)
	})

	test('unknown, malformed and revoked tokens are a bare 404', async () => {
		for (const t of ['x'.repeat(32), 'short', "' or 1=1 --"]) {
			const res = (await settle(() => subLoader({ request: get(`/sub/${t}`), params: { token: t }, context: {} }))) as Response
			expect(res.status).toBe(404)
		}
		await prisma.customer.update({ where: { id: customerId }, data: { subToken: 'rotated-token-rotated-token-0001' } })
		const res = (await settle(() => subLoader({ request: get(`/sub/${token}`), params: { token }, context: {} }))) as Response
		expect(res.status).toBe(404)
		await prisma.customer.update({ where: { id: customerId }, data: { subToken: token } })
	})

	test('a disabled customer gets no configs but still his usage headers', async () => {
		await prisma.customer.update({ where: { id: customerId }, data: { status: 'disabled', disabledReason: 'manual' } })
		const res = (await subLoader({ request: get(`/sub/${token}`), params: { token }, context: {} })) as Response
		expect(Buffer.from(await res.text(), 'base64').toString()).toBe('')
		expect(res.headers.get('subscription-userinfo')).toContain('download=')
		await prisma.customer.update({ where: { id: customerId }, data: { status: 'active', disabledReason: null } })
	})
})

describe('rotation', () => {
	test('the reseller rotates the token: the old link is a 404, the new one works; another reseller cannot', async () => {
		const { rotateSubToken } = await import('~/services/subscription-admin.server')
		const owner = await prisma.customer.findUniqueOrThrow({ where: { id: customerId }, select: { reseller: { select: { userId: true } } } })
		const stranger = await createReseller({ nodeIds: [] })
		await expect(rotateSubToken(stranger.user.id, customerId)).rejects.toMatchObject({ code: 'not_found' })
		await rotateSubToken(owner.reseller!.userId, customerId)
		const fresh = (await prisma.customer.findUniqueOrThrow({ where: { id: customerId } })).subToken
		expect(fresh).not.toBe(token)
		expect(((await settle(() => subLoader({ request: get(`/sub/${token}`), params: { token }, context: {} }))) as Response).status).toBe(404)
		expect(((await subLoader({ request: get(`/sub/${fresh}`), params: { token: fresh }, context: {} })) as Response).status).toBe(200)
	})
})
