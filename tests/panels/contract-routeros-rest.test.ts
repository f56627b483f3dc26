import { createRouterOsRestAdapter } from '~/services/panels/routeros-rest.server'
import { startRouterOsSim } from '../../sim/routeros'
import { runContractSuite } from './contract'

const PEERS = '/rest/interface/wireguard/peers'

runContractSuite(
	'routeros (REST)',
	async () => {
		const sim = await startRouterOsSim()
		const adapter = createRouterOsRestAdapter({
			kind: 'routeros',
			transport: 'rest',
			baseUrl: sim.restUrl,
			tls: false,
			verifyTls: true,
			username: 'admin',
			password: 'sim-password',
			timeoutMs: 500,
			options: { wgInterface: 'wg0', wgEndpoint: 'vpn.example.com:13231' },
		})
		return { adapter, control: sim.control, close: sim.close }
	},
	{
		timeoutMs: 500,
		links: 'wireguard',
		tokenExpiry: 'HTTP Basic on every request: there is no token to expire',
		limitedStatus: 'RouterOS cannot enforce limits; the hub disables the peer itself',
		expiredStatus: 'RouterOS cannot enforce expiry; the hub disables the peer itself',
		revokeSubscription: 'WireGuard has no subscription URL to revoke',
		resetUsage: 'RouterOS has no counter reset and a disable/enable is an outage; the hub counts deltas and resets its own record (routeros-fidelity.test.ts)',
		createFault: { method: 'PUT', pathPrefix: PEERS },
		readFault: { method: 'GET', pathPrefix: PEERS },
	},
)
