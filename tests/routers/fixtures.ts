// MikroTik accounting under test: a simulated router (REST and binary API over real sockets) with
// the accounting interfaces, connected and imported through the same services the wizard uses.
import { afterAll, beforeAll } from 'vitest'
import { importPeers, listRouter } from '~/services/routers/import.server'
import { routerTransport } from '~/services/routers/connection.server'
import { connectRouter } from '~/services/routers/routers.server'
import { prisma } from '~/utils/db.server'
import { setupAccountingRouter, type AccountingPeer } from '../../sim/routeros-accounting'
import { startRouterOsSim, type RouterOsSim } from '../../sim/routeros'
import { createUser } from '../factories'

export const SIM_USER = { username: 'admin', password: 'sim-password' }

export async function startAccountingSim() {
	const sim = await startRouterOsSim(SIM_USER)
	// An hour of uptime, so a reboot makes uptime go down.
	sim.state.bootedAt = Date.now() - 3_600_000
	const peers = setupAccountingRouter(sim.state)
	return { sim, peers }
}

/** The file's simulated router: started before its tests (handed to `use`), closed after them. */
export function withAccountingSim(use: (started: { sim: RouterOsSim; peers: AccountingPeer[] }) => void) {
	let sim: RouterOsSim | undefined
	beforeAll(async () => {
		const started = await startAccountingSim()
		sim = started.sim
		use(started)
	})
	afterAll(async () => {
		await sim?.close()
	})
}

export type Transport = 'rest' | 'api'

export async function connectSim(sim: RouterOsSim, transport: Transport = 'rest', name = 'hq') {
	const admin = await createUser('admin')
	const access = transport === 'rest'
		? { transport, baseUrl: sim.restUrl, tls: false, verifyTls: false }
		: { transport, host: '127.0.0.1', port: sim.apiPort, tls: false, verifyTls: false }
	const r = await connectRouter({ name, ...access, ...SIM_USER }, admin.id)
	if (!r.ok) throw new Error(`connect: ${JSON.stringify(r)}`)
	return { routerId: r.routerId, adminId: admin.id }
}

/** Imports what the wizard offers by default on the chosen interfaces: every peer except outbound ones. */
export async function importDefaults(routerId: number, adminId: number, interfaces = ['wg-home', 'wg-office'], now = new Date()) {
	const router = await prisma.router.findUniqueOrThrow({ where: { id: routerId } })
	const ros = routerTransport(router)
	try {
		const listing = await listRouter(routerId, ros, interfaces)
		const keys = listing.peers.filter((p) => !p.outbound).map((p) => `${p.interface}\t${p.publicKey}`)
		return { listing, result: await importPeers(routerId, ros, { interfaces, keys }, adminId, now) }
	} finally {
		await ros.close()
	}
}

export const peerOf = (routerId: number, p: AccountingPeer) =>
	prisma.routerPeer.findUniqueOrThrow({ where: { routerId_interface_publicKey: { routerId, interface: p.interface, publicKey: p.publicKey } } })

export const at = (iso: string) => new Date(iso)
