// The scale bench's panels, in a process of their own (like remote panels they share neither the
// hub's event loop nor its memory figure): NODES simulators, the five kinds in turn, each seeded
// with PER accounts named by SimControl.seed (xray kinds `b_1…b_PER`, WireGuard kinds
// `b-0…b-(PER−1)`, as bench/seed-scale.ts names the sub-accounts). Zero latency. Driven through
// their `/__sim/` control routes. Prints "READY <json>" once seeded.
import { SIM_CREDENTIALS } from '../../sim/start-all'
import { startMarzbanSim } from '../../sim/marzban'
import { startMarzneshinSim } from '../../sim/marzneshin'
import { startPasarGuardSim } from '../../sim/pasarguard'
import { startRouterOsSim } from '../../sim/routeros'
import { startWgDashboardSim } from '../../sim/wgdashboard'

const NODES = Number(process.env.NODES || 50)
const PER = Number(process.env.PER || 1000)
const KINDS = ['marzban', 'pasarguard', 'marzneshin', 'wgdashboard', 'routeros'] as const

const sims: Array<{ kind: (typeof KINDS)[number]; url: string }> = []
for (let i = 0; i < NODES; i++) {
	const kind = KINDS[i % KINDS.length]!
	const sim =
		kind === 'marzban' ? await startMarzbanSim({})
		: kind === 'pasarguard' ? await startPasarGuardSim({ apiKeys: [SIM_CREDENTIALS.pasarguardApiKey] })
		: kind === 'marzneshin' ? await startMarzneshinSim({})
		: kind === 'wgdashboard' ? await startWgDashboardSim({ apiKey: SIM_CREDENTIALS.wgdashboardApiKey })
		: await startRouterOsSim({ username: SIM_CREDENTIALS.routeros.username, password: SIM_CREDENTIALS.routeros.password })
	await sim.control.seed(PER, 'b')
	sims.push({ kind, url: 'restUrl' in sim ? sim.restUrl : sim.url })
}
console.log(`READY ${JSON.stringify(sims)}`)
