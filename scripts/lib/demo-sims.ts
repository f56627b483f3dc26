// The demo's panels: every simulator, and one node of each kind pointing at it (created once,
// re-pointed on later runs in case the ports changed). Each node is tested so it shows healthy.
import { writeFileSync } from 'node:fs'
import type { PrismaClient } from '~/generated/prisma/client'
import { SIM_CREDENTIALS, startAllSims } from '../../sim/start-all'

export async function startDemoSimulators(prisma: PrismaClient, { fixedPorts = true, writeTo }: { fixedPorts?: boolean; writeTo?: string } = {}) {
	const sims = await startAllSims({ fixedPorts })
	const { sealSecrets } = await import('~/models/node.server')
	const { testNode } = await import('~/services/nodes.server')
	const { allocateDemoNodes } = await import('../../prisma/seed')
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
	if (writeTo) {
		writeFileSync(writeTo, JSON.stringify({ marzban: sims.marzban.url, pasarguard: sims.pasarguard.url, marzneshin: sims.marzneshin.url, wgdashboard: sims.wgdashboard.url, routerosRest: sims.routeros.restUrl, routerosApiPort: sims.routeros.apiPort, credentials: SIM_CREDENTIALS }))
	}
	return { summary: sims.summary, stop: sims.close }
}
