// MikroTik accounting at size (issue 13): ROUTERS routers × PEERS peers (default 20 × 2,000).
// Bars: one polling round of every router ≤ 10 s on 2 cores, shown beside the raw listing time
// (every router's peer print over REST, nothing written); the router dashboard's loader p95 < 100 ms.
// Routers run in a child process (bench/router-sims.ts) and are reached over real sockets.
import { spawn } from 'node:child_process'
import path from 'node:path'
import type { ServerBuild } from '@remix-run/node'
import { benchDatabase, ensureBuild } from '../env'
import { figure, type BenchCase } from '../types'

const ROUTERS = Number(process.env.BENCH_ROUTERS || 20)
const PEERS = Number(process.env.BENCH_ROUTER_PEERS || 2000)
const ROUNDS = 3
const RUNS = 100

function startRouters(): Promise<{ urls: string[]; stop(): void }> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'bench/router-sims.ts'], { env: { ...process.env, ROUTERS: String(ROUTERS), PEERS: String(PEERS) }, stdio: ['ignore', 'pipe', 'inherit'] })
	return new Promise((resolve, reject) => {
		let out = ''
		child.stdout.on('data', (d) => {
			out += d
			const m = /READY (\S+)/.exec(out)
			if (m) resolve({ urls: JSON.parse(m[1]!), stop: () => child.kill('SIGKILL') })
		})
		child.once('exit', (code) => reject(new Error(`router simulators exited (${code})`)))
	})
}

const p95 = (s: number[]) => [...s].sort((a, b) => a - b)[Math.floor(s.length * 0.95)]!
const median = (s: number[]) => [...s].sort((a, b) => a - b)[Math.floor(s.length / 2)]!

export const routersBench: BenchCase = {
	name: 'routers',
	description: `MikroTik accounting: ${ROUTERS} routers × ${PEERS} peers, one polling round vs the raw listing; dashboard p95`,
	async run() {
		await benchDatabase()
		const sims = await startRouters()
		try {
			const { prisma } = await import('~/utils/db.server')
			const { hashPassword } = await import('~/utils/password.server')
			const { createSession } = await import('~/utils/auth.server')
			const { sealRouterSecrets, routerTransport } = await import('~/services/routers/connection.server')
			const { importPeers, listRouter } = await import('~/services/routers/import.server')
			const { pollRouter, PEER_PROPS } = await import('~/services/routers/poll.server')
			const { SIM_CREDENTIALS } = await import('../../sim/start-all')
			const admin = await prisma.user.create({ data: { username: `bench_routers_${Date.now()}`, role: 'admin', passwordHash: await hashPassword('x'.repeat(12)) } })
			const { username, password } = SIM_CREDENTIALS.routeros
			const routers = []
			for (const [i, url] of sims.urls.entries()) {
				const r = await prisma.router.create({ data: { name: `bench-${i}`, transport: 'rest', baseUrl: url, tls: false, verifyTls: false, secrets: sealRouterSecrets(username, password), defaultQuotaBytes: 50n * 1024n ** 3n, enforcement: 'monitor' } })
				const ros = routerTransport(r)
				const listing = await listRouter(r.id, ros, ['wg-bench'])
				await importPeers(r.id, ros, { interfaces: ['wg-bench'], keys: listing.peers.map((p) => `wg-bench\t${p.publicKey}`) }, admin.id)
				await ros.close()
				routers.push(r)
			}
			// The import queued a poll per router; no worker runs here, so those jobs just wait.
			const traffic = () => Promise.all(sims.urls.map((u) => fetch(`${u}/__sim/addTraffic`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bytes: 4096 }) })))

			const listings: number[] = []
			for (let i = 0; i < ROUNDS; i++) {
				const t = performance.now()
				await Promise.all(routers.map(async (r) => {
					const ros = routerTransport(r)
					try {
						await ros.print('interface/wireguard/peers', {}, PEER_PROPS)
					} finally {
						await ros.close()
					}
				}))
				listings.push(performance.now() - t)
			}
			const rounds: number[] = []
			for (let i = 0; i < ROUNDS; i++) {
				await traffic()
				const t = performance.now()
				const results = await Promise.all(routers.map((r) => pollRouter(r.id)))
				rounds.push(performance.now() - t)
				const moved = results.reduce((s, r) => s + r.moved, 0)
				if (moved !== ROUTERS * PEERS) throw new Error(`a round moved ${moved} peers, not ${ROUTERS * PEERS}: the figure would measure nothing`)
			}

			ensureBuild()
			const build = (await import(path.resolve('build/server/index.js'))) as ServerBuild
			const cookie = (await createSession(admin.id, new Request('http://bench/'))).split(';')[0]!
			const timeLoader = async (route: string, url: string, params: Record<string, string>) => {
				const loader = build.routes[route]!.module.loader!
				const call = () => loader({ request: new Request(url, { headers: { cookie } }), params, context: {} })
				for (let i = 0; i < 10; i++) await call()
				const s: number[] = []
				for (let i = 0; i < RUNS; i++) {
					const t = performance.now()
					await call()
					s.push(performance.now() - t)
				}
				return p95(s)
			}
			const one = String(routers[0]!.id)
			return [
				figure('routers', `one round, ${ROUTERS} × ${PEERS} peers (median of ${ROUNDS})`, median(rounds), 'ms', median(listings), '≤ 10 s'),
				figure('routers', 'raw listing of every router (median)', median(listings), 'ms', null),
				figure('routers', 'router dashboard loader p95', await timeLoader('routes/admin+/routers.$id', `http://bench/admin/routers/${one}`, { id: one }), 'ms', null, '< 100 ms'),
				figure('routers', `all-routers dashboard loader p95 (${ROUTERS} routers)`, await timeLoader('routes/admin+/routers', 'http://bench/admin/routers', {}), 'ms', null, '< 100 ms'),
			]
		} finally {
			sims.stop()
		}
	},
}
