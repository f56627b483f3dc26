import { createRouterOsApiAdapter } from '~/services/panels/routeros-api.server'
import { startRouterOsSim } from '../../sim/routeros'
import { runContractSuite } from './contract'

// The simulator answers like RouterOS 7.19, i.e. with `!empty` for prints without rows, which
// the unpatched node-routeros 1.6.9 cannot read (see sim-wireguard-quirks.test.ts).
runContractSuite(
	'routeros (binary API)',
	async () => {
		const sim = await startRouterOsSim()
		const adapter = createRouterOsApiAdapter({
			kind: 'routeros',
			transport: 'api',
			host: '127.0.0.1',
			port: sim.apiPort,
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
		// expireTokens drops every API session: the adapter must log in again on a new socket.
		tokenExpiry: true,
		loginRoute: 'API /login',
		limitedStatus: 'RouterOS cannot enforce limits; the hub disables the peer itself',
		expiredStatus: 'RouterOS cannot enforce expiry; the hub disables the peer itself',
		revokeSubscription: 'WireGuard has no subscription URL to revoke',
		resetUsage: 'RouterOS has no counter reset and a disable/enable is an outage; the hub counts deltas and resets its own record (routeros-fidelity.test.ts)',
		createFault: { method: 'API', pathPrefix: '/interface/wireguard/peers/add' },
		readFault: { method: 'API', pathPrefix: '/interface/wireguard/peers/print' },
	},
)
