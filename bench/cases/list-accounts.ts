// listAccounts over 100k simulated accounts per kind (the usage sync's bulk read), beside the
// simulator's raw response time for the same pages fetched with plain fetch + JSON.parse.
import { createAdapter } from '~/services/panels/index.server'
import type { NodeConnection, PanelAdapter } from '~/services/panels/types'
import { SIM_CREDENTIALS } from '../../sim/start-all'
import { startMarzbanSim } from '../../sim/marzban'
import { startMarzneshinSim } from '../../sim/marzneshin'
import { startPasarGuardSim } from '../../sim/pasarguard'
import { startRouterOsSim } from '../../sim/routeros'
import { startWgDashboardSim } from '../../sim/wgdashboard'
import { figure, type BenchCase, type Figure } from '../types'

const N = Number(process.env.BENCH_ACCOUNTS || 100_000)
const PAGE = 1000

async function walk(adapter: PanelAdapter) {
	let cursor: string | null = null
	let count = 0
	const t = performance.now()
	do {
		const page = await adapter.listAccounts(cursor, PAGE)
		count += page.accounts.length
		cursor = page.nextCursor
	} while (cursor)
	return { count, ms: performance.now() - t }
}

async function raw(urls: (i: number) => string | null, headers: Record<string, string>) {
	const t = performance.now()
	for (let i = 0; ; i++) {
		const url = urls(i)
		if (!url) break
		JSON.parse(await (await fetch(url, { headers })).text())
	}
	return performance.now() - t
}

const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`
const pages = (size: number) => Math.ceil(N / size)

export const listAccounts: BenchCase = {
	name: 'list',
	description: `adapter listAccounts over ${N} accounts per kind vs raw page fetches`,
	async run() {
		const figures: Figure[] = []
		const record = (kind: string, walked: { count: number; ms: number }, rawMs: number | null) => {
			if (walked.count < N) throw new Error(`${kind}: listed ${walked.count} of ${N}`)
			const rate = (walked.count / walked.ms) * 1000
			figures.push(figure('list', `${kind} accounts/s`, rate, 'acc/s', rawMs == null ? null : (walked.count / rawMs) * 1000))
		}
		const x = SIM_CREDENTIALS.xray
		const conn = (kind: NodeConnection['kind'], extra: Partial<NodeConnection>): NodeConnection => ({ kind, tls: false, verifyTls: false, timeoutMs: 60_000, options: {}, ...extra })

		const marzban = await startMarzbanSim({})
		await marzban.control.seed(N, 'b')
		const mzToken = (await (await fetch(`${marzban.url}/api/admin/token`, { method: 'POST', body: new URLSearchParams(x) })).json()).access_token
		const mzRaw = await raw((i) => (i < pages(PAGE) ? `${marzban.url}/api/users?offset=${i * PAGE}&limit=${PAGE}&sort=created_at` : null), { authorization: `Bearer ${mzToken}` })
		record('marzban', await walk(createAdapter(conn('marzban', { baseUrl: marzban.url, ...x }))), mzRaw)
		await marzban.close()

		const pg = await startPasarGuardSim({ apiKeys: [SIM_CREDENTIALS.pasarguardApiKey] })
		await pg.control.seed(N, 'b')
		const pgRaw = await raw((i) => (i < pages(PAGE) ? `${pg.url}/api/users?offset=${i * PAGE}&limit=${PAGE}&sort=created_at` : null), { 'x-api-key': SIM_CREDENTIALS.pasarguardApiKey })
		record('pasarguard', await walk(createAdapter(conn('pasarguard', { baseUrl: pg.url, apiKey: SIM_CREDENTIALS.pasarguardApiKey }))), pgRaw)
		await pg.close()

		const mn = await startMarzneshinSim({})
		await mn.control.seed(N, 'b')
		const mnToken = (await (await fetch(`${mn.url}/api/admins/token`, { method: 'POST', body: new URLSearchParams(x) })).json()).access_token
		const mnRaw = await raw((i) => (i < pages(100) ? `${mn.url}/api/users?page=${i + 1}&size=100` : null), { authorization: `Bearer ${mnToken}` })
		record('marzneshin', await walk(createAdapter(conn('marzneshin', { baseUrl: mn.url, ...x }))), mnRaw)
		await mn.close()

		const wg = await startWgDashboardSim({ apiKey: SIM_CREDENTIALS.wgdashboardApiKey })
		await wg.control.seed(N, 'b')
		const wgRaw = await raw((i) => (i === 0 ? `${wg.url}/api/getWireguardConfigurationInfo?configurationName=wg0` : null), { 'wg-dashboard-apikey': SIM_CREDENTIALS.wgdashboardApiKey })
		record('wgdashboard', await walk(createAdapter(conn('wgdashboard', { baseUrl: wg.url, apiKey: SIM_CREDENTIALS.wgdashboardApiKey, options: { wgInterface: 'wg0' } }))), wgRaw)
		await wg.close()

		const ros = await startRouterOsSim({ username: SIM_CREDENTIALS.routeros.username, password: SIM_CREDENTIALS.routeros.password })
		await ros.control.seed(N, 'b')
		const auth = basic(SIM_CREDENTIALS.routeros.username, SIM_CREDENTIALS.routeros.password)
		const rosRaw = await raw((i) => (i === 0 ? `${ros.restUrl}/rest/interface/wireguard/peers?interface=wg0` : null), { authorization: auth })
		const rosConn = { ...SIM_CREDENTIALS.routeros, options: { wgInterface: 'wg0' } }
		record('routeros-rest', await walk(createAdapter(conn('routeros', { baseUrl: ros.restUrl, transport: 'rest', ...rosConn }))), rosRaw)
		const api = createAdapter(conn('routeros', { host: '127.0.0.1', port: ros.apiPort, transport: 'api', ...rosConn }))
		record('routeros-api', await walk(api), rosRaw)
		await api.close?.()
		await ros.close()
		return figures
	},
}
