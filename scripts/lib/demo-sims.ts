// The demo's panels: every simulator, and one node of each kind pointing at it (created once,
// re-pointed on later runs in case the ports changed). Each node is tested so it shows healthy.
import { writeFileSync } from 'node:fs'
import type { PrismaClient } from '~/generated/prisma/client'
import { SIM_S3 } from '../../sim/s3'
import { SIM_CREDENTIALS, startAllSims } from '../../sim/start-all'
import { startDemoGateways } from './demo-gateways'
import { startDemoTelegram } from './demo-telegram'

/** The demo's live traffic: every account on every simulator, 5 MiB per 2 s (≈150 MiB a minute per node). */
export const DEMO_TRAFFIC = { everyMs: 2000, bytesPerAccount: 5 * 1024 ** 2, wgJobsEveryMs: 10_000 }

/**
 * `liveTraffic` (the demo, not the e2e server): traffic flows on every simulator and a 1 GB demo
 * customer exists, so usage visibly moves and quota enforcement can be watched.
 */
export async function startDemoSimulators(prisma: PrismaClient, { fixedPorts = true, writeTo, liveTraffic = false }: { fixedPorts?: boolean; writeTo?: string; liveTraffic?: boolean } = {}) {
	const sims = await startAllSims({ fixedPorts })
	const gateways = await startDemoGateways({ fixedPorts })
	const telegram = await startDemoTelegram({ fixedPorts })
	const { sealSecrets } = await import('~/models/node.server')
	const { testNode } = await import('~/services/nodes.server')
	const { allocateDemoNodes, seedDemoCatalogue, seedDemoCustomer } = await import('../../prisma/seed')
	const x = SIM_CREDENTIALS.xray
	const nodes = [
		{ name: 'Demo Marzban', kind: 'marzban', baseUrl: sims.marzban.url, secrets: x },
		{ name: 'Demo PasarGuard', kind: 'pasarguard', baseUrl: sims.pasarguard.url, secrets: { apiKey: SIM_CREDENTIALS.pasarguardApiKey } },
		{ name: 'Demo Marzneshin', kind: 'marzneshin', baseUrl: sims.marzneshin.url, secrets: x },
		{ name: 'Demo WGDashboard', kind: 'wgdashboard', baseUrl: sims.wgdashboard.url, secrets: { apiKey: SIM_CREDENTIALS.wgdashboardApiKey }, options: { wgEndpoint: 'vpn.example.com:51820', wgDns: '1.1.1.1' } },
		{ name: 'Demo MikroTik', kind: 'routeros', baseUrl: sims.routeros.restUrl, transport: 'rest', secrets: SIM_CREDENTIALS.routeros, options: { wgEndpoint: 'mt.example.com:13231', wgDns: '1.1.1.1' } },
	] as const
	const ids: number[] = []
	for (const n of nodes) {
		const existing = await prisma.node.findFirst({ where: { name: n.name, deletedAt: null } })
		const data = { baseUrl: n.baseUrl, tls: false, verifyTls: false, secrets: sealSecrets(n.secrets), transport: 'transport' in n ? n.transport : null }
		const node = existing
			? await prisma.node.update({ where: { id: existing.id }, data })
			: await prisma.node.create({ data: { ...data, name: n.name, kind: n.kind, options: ('options' in n ? n.options : {}) as object } })
		await testNode(node.id)
		ids.push(node.id)
	}
	await allocateDemoNodes(prisma, ids)
	// Receipt files stay in Postgres (the default store); the S3 simulator is filled in, re-pointed
	// each run, so /admin/gateways can test the connection and switch to it.
	const { getReceiptStorageSettings, saveReceiptStorageSettings } = await import('~/services/payments/receipt-storage-settings.server')
	const { store } = await getReceiptStorageSettings()
	await saveReceiptStorageSettings({ store, endpoint: sims.s3.url, bucket: SIM_S3.bucket, region: SIM_S3.region, accessKeyId: SIM_S3.accessKeyId, secretAccessKey: SIM_S3.secretAccessKey, pathStyle: true }, null)
	await seedDemoCatalogue(prisma, ids) // the storefront's plans, on these nodes
	if (liveTraffic) {
		await seedDemoCustomer(prisma, [ids[0]!, ids[2]!]) // Demo Marzban + Demo Marzneshin
		// The store's history: a coupon, end users with paid / open / void invoices over several Jalali months.
		const { seedDemoStoreHistory } = await import('./demo-store')
		await seedDemoStoreHistory(prisma)
		// The Rial reseller's months of orders, receipts and refunds (reports, issue 14).
		const { seedDemoResellerHistory } = await import('../../prisma/seed')
		await seedDemoResellerHistory(prisma, ids.slice(0, 3))
		// Each simulator feeds only accounts that can carry traffic (not disabled, restricted,
		// limited or expired): a disabled or refunded customer's usage stays where it stopped.
		for (const sim of [sims.marzban, sims.pasarguard, sims.marzneshin, sims.wgdashboard, sims.routeros]) sim.control.startTraffic(DEMO_TRAFFIC.everyMs, DEMO_TRAFFIC.bytesPerAccount)
		// WGDashboard enforces limits and expiry with its own jobs (every 180 s upstream; faster here).
		const jobs = setInterval(() => sims.wgdashboard.state.runJobs(), DEMO_TRAFFIC.wgJobsEveryMs)
		jobs.unref()
	}
	if (writeTo) {
		writeFileSync(writeTo, JSON.stringify({ marzban: sims.marzban.url, pasarguard: sims.pasarguard.url, marzneshin: sims.marzneshin.url, wgdashboard: sims.wgdashboard.url, routerosRest: sims.routeros.restUrl, routerosApiPort: sims.routeros.apiPort, credentials: SIM_CREDENTIALS }))
	}
	return {
		summary: `${sims.summary}\n  ${gateways.summary}\n  ${telegram.summary}`,
		stop: async () => {
			await Promise.all([sims.close(), gateways.close(), telegram.close()])
		},
	}
}
