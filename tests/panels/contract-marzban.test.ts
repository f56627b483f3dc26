import { createMarzbanAdapter } from '~/services/panels/marzban.server'
import { startMarzbanSim } from '../../sim/marzban'
import { runContractSuite } from './contract'

runContractSuite(
	'marzban',
	async () => {
		const sim = await startMarzbanSim()
		const adapter = createMarzbanAdapter({
			kind: 'marzban',
			baseUrl: sim.url,
			tls: false,
			verifyTls: true,
			username: 'admin',
			password: 'admin',
			timeoutMs: 500,
			options: {},
		})
		return { adapter, control: sim.control, close: sim.close }
	},
	{ timeoutMs: 500, loginRoute: 'POST /api/admin/token', createFault: { method: 'POST', pathPrefix: '/api/user' } },
)

runContractSuite(
	'marzban (chosen inbounds, public base URL)',
	async () => {
		const sim = await startMarzbanSim()
		const adapter = createMarzbanAdapter({
			kind: 'marzban',
			baseUrl: sim.url,
			tls: false,
			verifyTls: true,
			username: 'admin',
			password: 'admin',
			timeoutMs: 500,
			options: { inbounds: { vless: ['VLESS TCP REALITY'], trojan: [] }, publicBaseUrl: 'https://sub.example.com' },
		})
		return { adapter, control: sim.control, close: sim.close }
	},
	{ timeoutMs: 500, loginRoute: 'POST /api/admin/token', createFault: { method: 'POST', pathPrefix: '/api/user' } },
)
