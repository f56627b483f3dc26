import { expect } from 'vitest'
import { createMarzbanAdapter } from '~/services/panels/marzban.server'
import { startMarzbanSim } from '../../sim/marzban'
import { runContractSuite } from './contract'

type Sim = Awaited<ReturnType<typeof startMarzbanSim>>
/** An account made on the panel by someone else: no note. */
const foreign = (sim: Sim) => (username: string) => {
	expect(sim.state.createUser({ username, proxies: { vless: {} }, inbounds: {}, status: 'active' }).status).toBe(200)
	return { username }
}

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
		return { adapter, control: sim.control, close: sim.close, createForeign: foreign(sim) }
	},
	{
		timeoutMs: 500,
		loginRoute: 'POST /api/admin/token',
		createFault: { method: 'POST', pathPrefix: '/api/user' },
		// USERNAME_REGEXP wants 3–32 word characters before the first special one.
		invalidSpec: { username: 'ab.cd', dataLimit: null, expireAt: null },
	},
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
		return { adapter, control: sim.control, close: sim.close, createForeign: foreign(sim) }
	},
	{ timeoutMs: 500, loginRoute: 'POST /api/admin/token', createFault: { method: 'POST', pathPrefix: '/api/user' } },
)
