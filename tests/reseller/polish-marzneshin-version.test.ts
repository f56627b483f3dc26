// Issue 15: the node page showed "unknown" for Marzneshin. Its own __version__ is a stale "0.1.0",
// so the adapter reports the cores' versions from GET /api/nodes (sudo only; unknown otherwise).
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createMarzneshinAdapter } from '~/services/panels/marzneshin.server'
import { startMarzneshinSim } from '../../sim/marzneshin'

let sim: Awaited<ReturnType<typeof startMarzneshinSim>>
beforeAll(async () => {
	sim = await startMarzneshinSim({ admins: { admin: 'admin', reseller: 'reseller' }, nonSudo: ['reseller'] })
})
afterAll(async () => {
	await sim.close()
})

const adapter = (username: string) =>
	createMarzneshinAdapter({ kind: 'marzneshin', baseUrl: sim.url, tls: false, verifyTls: true, username, password: username, timeoutMs: 2000, options: { serviceIds: [1] } })

test('a sudo admin reads the core version of the panel nodes', async () => {
	expect((await adapter('admin').testConnection()).version).toBe('xray 1.8.24')
})

test('a non-sudo admin may not list nodes: the connection still works, the version is unknown', async () => {
	expect((await adapter('reseller').testConnection()).version).toBe('unknown')
})
