// Starts every panel simulator with a few recognisable demo accounts. Used by `npm run sim`
// (fixed ports), the demo and the e2e server (free ports when fixedPorts is false).
import { startMarzbanSim } from './marzban'
import { startMarzneshinSim } from './marzneshin'
import { startPasarGuardSim } from './pasarguard'
import { startRouterOsSim } from './routeros'
import { SIM_S3, startS3Sim } from './s3'
import { startWgDashboardSim } from './wgdashboard'

export const SIM_PORTS = { marzban: 7101, pasarguard: 7102, marzneshin: 7103, wgdashboard: 7104, routerosRest: 7105, routerosApi: 7106, s3: 7112 }
export const SIM_CREDENTIALS = {
	xray: { username: 'admin', password: 'admin' },
	pasarguardApiKey: 'pg_key_00000000-0000-4000-8000-000000000001',
	wgdashboardApiKey: 'sim-wgdashboard-api-key',
	routeros: { username: 'admin', password: 'sim-password' },
}
const DAY = 86_400

export async function startAllSims({ fixedPorts = true, bulk = 0 }: { fixedPorts?: boolean; bulk?: number } = {}) {
	const port = (p: number) => (fixedPorts ? p : 0)
	const marzban = await startMarzbanSim({ port: port(SIM_PORTS.marzban) })
	const pasarguard = await startPasarGuardSim({ port: port(SIM_PORTS.pasarguard), apiKeys: [SIM_CREDENTIALS.pasarguardApiKey] })
	const marzneshin = await startMarzneshinSim({ port: port(SIM_PORTS.marzneshin) })
	const wgdashboard = await startWgDashboardSim({ port: port(SIM_PORTS.wgdashboard), apiKey: SIM_CREDENTIALS.wgdashboardApiKey })
	const routeros = await startRouterOsSim({
		port: port(SIM_PORTS.routerosRest),
		apiPort: port(SIM_PORTS.routerosApi),
		username: SIM_CREDENTIALS.routeros.username,
		password: SIM_CREDENTIALS.routeros.password,
	})
	// The receipt store's S3-compatible bucket (optional: the hub keeps receipts in Postgres unless the admin switches).
	const s3 = await startS3Sim({ port: port(SIM_PORTS.s3) })

	// A few recognisable accounts in different states, so the admin UI has something to show.
	const inAMonth = Math.floor(Date.now() / 1000) + 30 * DAY
	marzban.state.createUser({ username: 'demo_active', proxies: { vless: {}, vmess: {} }, inbounds: {}, expire: inAMonth, data_limit: 50 * 1024 ** 3 })
	marzban.state.createUser({ username: 'demo_disabled', proxies: { vless: {} }, inbounds: {}, data_limit: 10 * 1024 ** 3 })
	marzban.state.users.get('demo_disabled')!.status = 'disabled'
	marzban.state.createUser({ username: 'demo_unlimited', proxies: { trojan: {} }, inbounds: {} })
	pasarguard.state.createUser({ username: 'demo_active', group_ids: [1], expire: inAMonth, data_limit: 50 * 1024 ** 3 })
	pasarguard.state.createUser({ username: 'demo_vless', group_ids: [2], data_limit: 5 * 1024 ** 3 })
	marzneshin.state.createUser({ username: 'demo_active', service_ids: [1], expire_strategy: 'fixed_date', expire_date: new Date((inAMonth) * 1000).toISOString(), data_limit: 50 * 1024 ** 3 })
	marzneshin.state.createUser({ username: 'demo_on_first_use', service_ids: [2], expire_strategy: 'start_on_first_use', usage_duration: 30 * DAY })
	for (const sim of [marzban, pasarguard, marzneshin, wgdashboard, routeros]) await sim.control.seed(3, 'demo')
	marzban.control.addTraffic({ demo_active: 3 * 1024 ** 3 })
	pasarguard.control.addTraffic({ demo_active: 2 * 1024 ** 3 })
	marzneshin.control.addTraffic({ demo_active: 1024 ** 3 })
	if (bulk > 0) for (const sim of [marzban, pasarguard, marzneshin, wgdashboard, routeros]) await sim.control.seed(bulk, 'bulk')

	const { username, password } = SIM_CREDENTIALS.xray
	const summary = `Panel simulators${bulk ? ` (${bulk} bulk accounts each)` : ''}:
	  marzban      ${marzban.url}   ${username} / ${password}
	  pasarguard   ${pasarguard.url}   ${username} / ${password}   or X-Api-Key: ${SIM_CREDENTIALS.pasarguardApiKey}
	  marzneshin   ${marzneshin.url}   ${username} / ${password}
	  wgdashboard  ${wgdashboard.url}   wg-dashboard-apikey: ${wgdashboard.apiKey}
	  routeros     REST ${routeros.restUrl}   API 127.0.0.1:${routeros.apiPort}   ${SIM_CREDENTIALS.routeros.username} / ${SIM_CREDENTIALS.routeros.password}
	  s3           ${s3.url}   bucket ${SIM_S3.bucket}, access key ${SIM_S3.accessKeyId}, secret ${SIM_S3.secretAccessKey} (path-style, ${SIM_S3.region})
	Control: POST <url>/__sim/<setLatency|failNext|clearFaults|expireTokens|reboot|addTraffic|startTraffic|stopTraffic|seed|stats>
	  e.g. curl -XPOST ${marzban.url}/__sim/failNext -H 'content-type: application/json' -d '{"n":1,"mode":"timeout"}'`
	const all = [marzban, pasarguard, marzneshin, wgdashboard, routeros, s3]
	return {
		marzban,
		pasarguard,
		marzneshin,
		wgdashboard,
		routeros,
		s3,
		summary,
		close: async () => {
			await Promise.allSettled(all.map((s) => s.close()))
		},
	}
}
