// MikroTik accounting in the demo and the e2e server (issue 13): a router simulator of its own
// (REST 7109, API 7110 on fixed ports) with the interfaces and hand-made peers of
// sim/routeros-accounting.ts. The demo also connects it as "Demo MikroTik", imports its peers,
// backfills this cycle's daily history (so the charts have bars on a fresh demo) and keeps the
// counters moving; the e2e leaves connecting to the admin and the wizard.
import { writeFileSync } from 'node:fs'
import type { PrismaClient } from '~/generated/prisma/client'
import { accountingTrafficTick, setupAccountingRouter } from '../../sim/routeros-accounting'
import { startRouterOsSim } from '../../sim/routeros'
import { SIM_CREDENTIALS } from '../../sim/start-all'

export const ROUTER_SIM_PORTS = { rest: 7109, api: 7110 }
const DEMO_NAME = 'Demo MikroTik'

export async function startDemoRouter(prisma: PrismaClient, { fixedPorts = true, connect = true, writeTo }: { fixedPorts?: boolean; connect?: boolean; writeTo?: string } = {}) {
	const sim = await startRouterOsSim({ ...SIM_CREDENTIALS.routeros, port: fixedPorts ? ROUTER_SIM_PORTS.rest : 0, apiPort: fixedPorts ? ROUTER_SIM_PORTS.api : 0 })
	sim.state.bootedAt = Date.now() - 9 * 86_400_000 - 3 * 3_600_000
	const peers = setupAccountingRouter(sim.state)
	if (writeTo) writeFileSync(writeTo, JSON.stringify({ restUrl: sim.restUrl, apiPort: sim.apiPort, credentials: SIM_CREDENTIALS.routeros }))
	let timer: NodeJS.Timeout | null = null
	if (connect) {
		await connectDemoRouter(prisma, sim.restUrl)
		// ~2 MiB per peer per 5 s, uneven (a top peer, an idle one, a busy site-to-site link).
		timer = setInterval(() => accountingTrafficTick(sim.state, peers), 5000)
		timer.unref()
	}
	return {
		summary: `mikrotik    REST ${sim.restUrl}   API 127.0.0.1:${sim.apiPort}   ${SIM_CREDENTIALS.routeros.username} / ${SIM_CREDENTIALS.routeros.password}   (MikroTik accounting)`,
		stop: async () => {
			if (timer) clearInterval(timer)
			await sim.close()
		},
	}
}

async function connectDemoRouter(prisma: PrismaClient, restUrl: string) {
	const { sealRouterSecrets, routerTransport } = await import('~/services/routers/connection.server')
	const { importPeers, listRouter } = await import('~/services/routers/import.server')
	const { enqueueRouterPolls } = await import('~/services/routers/schedule.server')
	const { username, password } = SIM_CREDENTIALS.routeros
	const existing = await prisma.router.findFirst({ where: { name: DEMO_NAME, deletedAt: null } })
	const access = { baseUrl: restUrl, tls: false, verifyTls: false, secrets: sealRouterSecrets(username, password) }
	if (existing) {
		// The simulator starts afresh each run: new keys, so the old peers are gone and re-imported.
		await prisma.router.update({ where: { id: existing.id }, data: { ...access, lastUptimeSec: null, lastPollOkAt: null } })
		await prisma.routerPeer.deleteMany({ where: { routerId: existing.id } })
		for (const table of ['router_daily', 'router_hourly', 'router_peer_daily', 'router_peer_cycles', 'router_polls', 'router_anomalies']) {
			await prisma.$executeRawUnsafe(`delete from ${table} where router_id = $1`, existing.id)
		}
	}
	const router = existing ?? (await prisma.router.create({
		data: { name: DEMO_NAME, transport: 'rest', ...access, identity: 'hq-router', version: '7.19.4 (stable)', pollIntervalSec: 30, defaultQuotaBytes: 20n * 1024n ** 3n, enforcement: 'monitor' },
	}))
	const admin = await prisma.user.findFirst({ where: { role: 'admin' }, orderBy: { id: 'asc' } })
	const ros = routerTransport(await prisma.router.findUniqueOrThrow({ where: { id: router.id } }))
	try {
		const interfaces = ['wg-home', 'wg-office']
		const listing = await listRouter(router.id, ros, interfaces)
		const keys = listing.peers.filter((p) => !p.outbound).map((p) => `${p.interface}\t${p.publicKey}`)
		await importPeers(router.id, ros, { interfaces, keys }, admin?.id ?? 0)
	} finally {
		await ros.close()
	}
	await backfillHistory(prisma, router.id)
	await enqueueRouterPolls()
}

/** Demo data only: plausible daily totals from the cycle's first day to yesterday. */
async function backfillHistory(prisma: PrismaClient, routerId: number) {
	const { addDays, cycleStart, localDay } = await import('~/services/routers/calendar')
	const router = await prisma.router.findUniqueOrThrow({ where: { id: routerId } })
	const now = new Date()
	const start = cycleStart(now, { timezone: router.timezone, resetDay: router.resetDay, calendar: router.calendar })
	const today = localDay(now, router.timezone)
	const peers = await prisma.routerPeer.findMany({ where: { routerId }, orderBy: { id: 'asc' } })
	const GB = 1024 ** 3
	for (const [i, p] of peers.entries()) {
		if (p.name === 'maryam-phone') continue // the idle one
		let total = 0n
		for (let day = start; day < today; day = addDays(day, 1)) {
			const bytes = BigInt(Math.round((GB * (1.2 / (i + 1)) * (0.4 + Math.random())) / 1))
			total += bytes
			const rx = (bytes * 3n) / 4n
			await prisma.$executeRawUnsafe(
				`with a as (insert into router_peer_daily (peer_id, day, router_id, rx, tx) values ($1, $2::date, $3, $4, $5) on conflict do nothing)
				 insert into router_daily as d (router_id, day, rx, tx) values ($3, $2::date, $4, $5)
				 on conflict (router_id, day) do update set rx = d.rx + excluded.rx, tx = d.tx + excluded.tx`,
				p.id, day, routerId, rx, bytes - rx,
			)
		}
		if (total === 0n) continue
		await prisma.routerPeerCycle.upsert({ where: { peerId_cycleStart: { peerId: p.id, cycleStart: new Date(`${start}T00:00:00Z`) } }, create: { peerId: p.id, cycleStart: new Date(`${start}T00:00:00Z`), routerId, rx: (total * 3n) / 4n, tx: total - (total * 3n) / 4n }, update: {} })
		await prisma.routerPeer.update({ where: { id: p.id }, data: { cycleStart: new Date(`${start}T00:00:00Z`), cycleBytes: total, totalBytes: total } })
	}
}
