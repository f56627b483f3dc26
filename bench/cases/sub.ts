// /sub/{token} (bar: ≥ 2,000 req/s, p99 < 20 ms on 2 cores) against the production server, beside
// a bare node:http + pg server running the same lookup query, in the same run. Each server runs in
// its own process; the load generator in this one.
import { startChild } from '../child'
import { benchDatabase, ensureBuild } from '../env'
import { load } from '../load'
import { figure, type BenchCase } from '../types'

// Real shapes (Marzban's share links): the YAML and JSON formats parse and map every one.
const vmess = Buffer.from(JSON.stringify({ v: '2', ps: 'nl', add: 'nl.example.com', port: '443', id: '00000000-0000-4000-8000-000000000002', aid: '0', net: 'ws', path: '/vm', host: 'nl.example.com', tls: 'tls', sni: 'nl.example.com' })).toString('base64')
const LINKS = [
	'vless://00000000-0000-4000-8000-000000000001@de.example.com:443?security=reality&type=tcp&flow=xtls-rprx-vision&sni=www.speedtest.net&fp=chrome&pbk=Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw&sid=6ba85179e30d4fc2#de',
	`vmess://${vmess}`,
	'trojan://secret@tr.example.com:443?security=tls&type=grpc&serviceName=tr&sni=tr.example.com#tr',
]

/** Each client format by the User-Agent that asks for it (Marzban's rules), checked before it is timed. */
const FORMATS: Array<{ name: string; ua: string; valid(body: string): boolean }> = [
	{ name: 'base64', ua: 'v2rayNG/1.8.5', valid: (b) => Buffer.from(b, 'base64').toString().split('\n').length === 3 },
	{ name: 'clash-meta', ua: 'ClashMetaForAndroid/2.11.1.Meta', valid: (b) => (b.match(/^- name: /gm) ?? []).length === 5 },
	{ name: 'sing-box', ua: 'SFA/1.12.8', valid: (b) => (JSON.parse(b) as { outbounds: Array<{ type: string }> }).outbounds.filter((o) => ['vless', 'vmess', 'trojan'].includes(o.type)).length === 3 },
]

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
		const opts = (ua: string) => ({ connections: 16, durationMs: 5000, headers: { accept: '*/*', 'user-agent': ua } })
		for (const f of FORMATS) {
			const check = await fetch(`${app.url}/sub/${token}`, { headers: opts(f.ua).headers })
			const body = await check.text()
			if (check.status !== 200 || !f.valid(body) || !check.headers.get('subscription-userinfo')) throw new Error(`/sub (${f.name}) answered ${check.status} with ${body.length} bytes: the figure would measure the wrong thing`)
		}
		// One baseline (the bare lookup) for every format, in the same run.
		const base = await load(`${bare.url}/sub/${token}`, opts(FORMATS[0]!.ua))
		const hub: Array<{ name: string; rps: number; p99: number; errors: number }> = []
		for (const f of FORMATS) hub.push({ name: f.name, ...(await load(`${app.url}/sub/${token}`, opts(f.ua))) })
		await app.stop()
		await bare.stop()
		// Leave the shared bench database as found: later cases sync every live node.
		await prisma.node.updateMany({ where: { id: { in: nodes.map((n) => n.id) } }, data: { deletedAt: new Date() } })
		const failed = hub.filter((h) => h.errors)
		if (base.errors || failed.length) throw new Error(`failed requests: bare ${base.errors}, ${failed.map((h) => `${h.name} ${h.errors}`).join(', ')}`)
		// The first pair keeps its historic metric names so results.json stays comparable.
		return hub.flatMap((h, i) => {
			const label = i === 0 ? '/sub/{token}' : `/sub/{token} ${h.name}`
			return [figure('sub', `${label} requests/s`, h.rps, 'req/s', base.rps, '≥ 2000 req/s'), figure('sub', `${label} p99`, h.p99, 'ms', base.p99, '< 20 ms')]
		})
	},
}
