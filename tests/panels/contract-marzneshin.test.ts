import { createMarzneshinAdapter } from '~/services/panels/marzneshin.server'
import { startMarzneshinSim } from '../../sim/marzneshin'
import { runContractSuite } from './contract'

runContractSuite(
	'marzneshin',
	async () => {
		const sim = await startMarzneshinSim()
		const adapter = createMarzneshinAdapter({
			kind: 'marzneshin',
			baseUrl: sim.url,
			tls: false,
			verifyTls: true,
			username: 'admin',
			password: 'admin',
			timeoutMs: 500,
			options: { serviceIds: [1] },
		})
		return { adapter, control: sim.control, close: sim.close }
	},
	{
		timeoutMs: 500,
		loginRoute: 'POST /api/admins/token',
		createFault: { method: 'POST', pathPrefix: '/api/users' },
		// Marzneshin lower-cases; mixed case proves the adapter keeps the server's spelling.
		username: (n) => `Ct_${n}_${Math.random().toString(36).slice(2, 6)}`,
	},
)
