// /sub/{token} (bar: ≥ 2,000 req/s, p99 < 20 ms on 2 cores) against the production server, beside
// a bare node:http + pg server running the same lookup query, in the same run. Each server runs in
// its own process; the load generator in this one.
import { startChild } from '../child'
import { benchDatabase, ensureBuild } from '../env'
import { load } from '../load'
import { figure, type BenchCase } from '../types'

const LINKS = ['vless://00000000-0000-4000-8000-000000000001@de.example.com:443?security=reality#de', 'vmess://eyJhZGQiOiJubC5leGFtcGxlLmNvbSJ9', 'trojan://secret@tr.example.com:443#tr']

export const subBench: BenchCase = {
	name: 'sub',
	description: '/sub/{token} for VPN clients vs a bare node:http + pg lookup',
	async run() {
		ensureBuild()
		const db = await benchDatabase()
		const { prisma } = await import('~/utils/db.server')
		const { seal } = await import('~/utils/crypto.server')
		const { hashPassword } = await import('~/utils/password.server')
		const user = await prisma.user.create({ data: { username: `bench_sub_${Date.now()}`, role: 'reseller', passwordHash: await hashPassword('x'.repeat(12)) } })
		const reseller = await prisma.reseller.create({ data: { userId: user.id, name: 'bench' } })
		const token = 'bench-sub-token-0123456789abcdef'
		const nodes = await Promise.all([1, 2, 3].map((i) => prisma.node.create({ data: { name: `bench ${i}`, kind: 'marzban', baseUrl: 'http://127.0.0.1:1', secrets: seal('{}') } })))
		const customer = await prisma.customer.create({ data: { resellerId: reseller.id, username: 'subbench', dataLimitBytes: 50n * 1024n ** 3n, usedBytes: 1234567n, expireAt: new Date(Date.now() + 30 * 86_400_000), subToken: token } })
		for (const [i, n] of nodes.entries()) {
			await prisma.subAccount.create({ data: { customerId: customer.id, nodeId: n.id, remoteUsername: `subbench_${i}`, state: 'active', links: seal(JSON.stringify({ kind: 'links', links: [LINKS[i]], subscriptionUrl: null })) } })
		}

		const bare = await startChild('bare-sub')
		const app = await startChild('hub')
		const headers = { accept: '*/*', 'user-agent': 'v2rayNG/1.8.5' }
		const opts = { connections: 16, durationMs: 5000, headers }
		const check = await fetch(`${app.url}/sub/${token}`, { headers })
		const body = Buffer.from(await check.text(), 'base64').toString()
		if (check.status !== 200 || body.split('\n').length !== 3 || !check.headers.get('subscription-userinfo')) throw new Error(`/sub answered ${check.status} with ${body.length} bytes: the figure would measure the wrong thing`)
		const base = await load(`${bare.url}/sub/${token}`, opts)
		const hub = await load(`${app.url}/sub/${token}`, opts)
		await app.stop()
		await bare.stop()
		// Leave the shared bench database as found: later cases sync every live node.
		await prisma.node.updateMany({ where: { id: { in: nodes.map((n) => n.id) } }, data: { deletedAt: new Date() } })
		if (base.errors || hub.errors) throw new Error(`failed requests: bare ${base.errors}, hub ${hub.errors}`)
		return [figure('sub', '/sub/{token} requests/s', hub.rps, 'req/s', base.rps, '≥ 2000 req/s'), figure('sub', '/sub/{token} p99', hub.p99, 'ms', base.p99, '< 20 ms')]
	},
}
