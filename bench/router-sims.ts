// The routers bench's MikroTik routers, in a process of their own (remote routers do not share
// the hub's event loop): ROUTERS simulators, each with PEERS peers on `wg-bench` that have
// handshaken. Traffic is driven through each one's `/__sim/addTraffic`. Prints "READY <json>".
import { seedAccountingPeers } from '../sim/routeros-accounting'
import { startRouterOsSim } from '../sim/routeros'
import { SIM_CREDENTIALS } from '../sim/start-all'

const ROUTERS = Number(process.env.ROUTERS || 20)
const PEERS = Number(process.env.PEERS || 2000)
const urls: string[] = []
for (let i = 0; i < ROUTERS; i++) {
	const sim = await startRouterOsSim(SIM_CREDENTIALS.routeros)
	sim.state.bootedAt = Date.now() - 86_400_000
	for (const key of seedAccountingPeers(sim.state, 'wg-bench', PEERS)) sim.state.setHandshake(key, 30_000)
	urls.push(sim.restUrl)
}
console.log(`READY ${JSON.stringify(urls)}`)
