import { describe, expect, it } from 'vitest'
import { isPanelError } from '~/services/panels/errors'
import { createPasarGuardAdapter } from '~/services/panels/pasarguard.server'
import type { NodeConnection } from '~/services/panels/types'
import { startPasarGuardSim } from '../../sim/pasarguard'
import { runContractSuite } from './contract'

const conn = (url: string, over: Partial<NodeConnection> = {}): NodeConnection => ({
	kind: 'pasarguard',
	baseUrl: url,
	tls: false,
	verifyTls: true,
	timeoutMs: 500,
	options: {},
	...over,
})

type Sim = Awaited<ReturnType<typeof startPasarGuardSim>>
/** An account made on the panel by someone else: no note. */
const foreign = (sim: Sim) => (username: string) => {
	const r = sim.state.createUser({ username, group_ids: [1], status: 'active' })
	expect(r.status).toBe(201)
	return { username, remoteId: String((r.json as { id: number }).id) }
}

runContractSuite(
	'pasarguard (token login)',
	async () => {
		const sim = await startPasarGuardSim()
		const adapter = createPasarGuardAdapter(conn(sim.url, { username: 'admin', password: 'admin', options: { groupIds: [1] } }))
		return { adapter, control: sim.control, close: sim.close, createForeign: foreign(sim) }
	},
	{
		timeoutMs: 500,
		loginRoute: 'POST /api/admin/token',
		createFault: { method: 'POST', pathPrefix: '/api/user' },
		// validators.py validate_username: two special characters in a row (the old remote name of "Bob!").
		invalidSpec: { username: 'bob__g7', dataLimit: null, expireAt: null },
	},
)

runContractSuite(
	'pasarguard (API key, all groups)',
	async () => {
		const sim = await startPasarGuardSim()
		const [apiKey] = sim.state.apiKeys
		const adapter = createPasarGuardAdapter(conn(sim.url, { apiKey }))
		return { adapter, control: sim.control, close: sim.close, createForeign: foreign(sim) }
	},
	{
		timeoutMs: 500,
		tokenExpiry: 'API keys do not expire with tokens; the revoked-key case is tested below',
		createFault: { method: 'POST', pathPrefix: '/api/user' },
	},
)

describe('pasarguard API key', () => {
	it('a revoked key is auth_failed at once, with no login attempt', async () => {
		const sim = await startPasarGuardSim()
		const [apiKey] = sim.state.apiKeys
		const adapter = createPasarGuardAdapter(conn(sim.url, { apiKey }))
		try {
			const { ref } = await adapter.createAccount({ username: 'keyed_user', dataLimit: null, expireAt: null })
			sim.state.revokeApiKey(apiKey)
			const err = await adapter.getAccount(ref).catch((e: unknown) => e)
			expect(isPanelError(err, 'auth_failed')).toBe(true)
			expect(String((err as Error).message)).not.toContain(apiKey)
			expect(sim.control.stats().byRoute['POST /api/admin/token']).toBeUndefined()
		} finally {
			await adapter.close?.()
			await sim.close()
		}
	})

	it('getAccount resolves a ref without remoteId by username and returns the id', async () => {
		const sim = await startPasarGuardSim()
		const adapter = createPasarGuardAdapter(conn(sim.url, { username: 'admin', password: 'admin' }))
		try {
			const created = await adapter.createAccount({ username: 'by_name', dataLimit: null, expireAt: null })
			expect(created.ref.remoteId).toMatch(/^\d+$/)
			const got = await adapter.getAccount({ username: 'by_name' })
			expect(got.ref.remoteId).toBe(created.ref.remoteId)
		} finally {
			await adapter.close?.()
			await sim.close()
		}
	})
})
