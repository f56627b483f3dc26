import { createWgDashboardAdapter } from '~/services/panels/wgdashboard.server'
import { startWgDashboardSim } from '../../sim/wgdashboard'
import { runContractSuite } from './contract'

runContractSuite(
	'wgdashboard',
	async () => {
		const sim = await startWgDashboardSim()
		const adapter = createWgDashboardAdapter({
			kind: 'wgdashboard',
			baseUrl: sim.url,
			tls: false,
			verifyTls: true,
			apiKey: sim.apiKey,
			timeoutMs: 500,
			options: { wgInterface: 'wg0' },
		})
		return {
			adapter,
			control: sim.control,
			close: sim.close,
			addTraffic: (ref, bytes) => sim.control.addTraffic({ [ref.remoteId ?? ref.username]: bytes }),
		}
	},
	{
		timeoutMs: 500,
		links: 'wireguard',
		tokenExpiry: 'API keys do not expire; a deleted key is tested in sim-wireguard-quirks',
		revokeSubscription: 'WireGuard has no subscription URL to revoke',
		createFault: { method: 'POST', pathPrefix: '/api/addPeers' },
		readFault: { method: 'GET', pathPrefix: '/api/getWireguardConfigurationInfo' },
	},
)
