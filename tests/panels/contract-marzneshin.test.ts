import { expect } from 'vitest'
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
		const createForeign = (username: string) => {
			expect(sim.state.createUser({ username, expire_strategy: 'never', service_ids: [1] }).status).toBe(200)
			return { username: username.toLowerCase() }
		}
		return { adapter, control: sim.control, close: sim.close, createForeign }
	},
	{
		timeoutMs: 500,
		loginRoute: 'POST /api/admins/token',
		createFault: { method: 'POST', pathPrefix: '/api/users' },
		// Marzneshin lower-cases; mixed case proves the adapter keeps the server's spelling.
		username: (n) => `Ct_${n}_${Math.random().toString(36).slice(2, 6)}`,
	},
)

// A non-sudo admin (app/dependencies.py get_user: ownership before existence) gets 403 "You're not
// allowed" for a user that does not exist; the adapter must still report not_found for it.
runContractSuite(
	'marzneshin (non-sudo admin)',
	async () => {
		const sim = await startMarzneshinSim({ admins: { admin: 'admin', reseller: 'reseller' }, nonSudo: ['reseller'] })
		// Someone else's user is invisible to this admin: 403 like a missing one, never adopted or listed.
		sim.state.createUser({ username: 'sudo_owned', expire_strategy: 'never', service_ids: [1] }, 'admin')
		const adapter = createMarzneshinAdapter({
			kind: 'marzneshin',
			baseUrl: sim.url,
			tls: false,
			verifyTls: true,
			username: 'reseller',
			password: 'reseller',
			timeoutMs: 500,
			options: { serviceIds: [1] },
		})
		const createForeign = (username: string) => {
			expect(sim.state.createUser({ username, expire_strategy: 'never', service_ids: [1] }, 'reseller').status).toBe(200)
			return { username: username.toLowerCase() }
		}
		return { adapter, control: sim.control, close: sim.close, createForeign, supports: { unknownRef: { username: 'sudo_owned' } } }
	},
	{ timeoutMs: 500, loginRoute: 'POST /api/admins/token', createFault: { method: 'POST', pathPrefix: '/api/users' } },
)
