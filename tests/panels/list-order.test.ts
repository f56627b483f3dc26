// Page walks over tied sort keys. On MySQL/MariaDB (the xray panels' usual database) created_at is
// whole seconds and rows that tie may come back in a different order for every offset, so walking
// `sort=created_at` pages skips some users and repeats others. The simulators' `mysqlTies` option
// reproduces that (deterministically from a seed); the adapters must sort by a unique key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMarzbanAdapter } from '~/services/panels/marzban.server'
import { createMarzneshinAdapter } from '~/services/panels/marzneshin.server'
import { createPasarGuardAdapter } from '~/services/panels/pasarguard.server'
import type { NodeConnection, PanelAdapter } from '~/services/panels/types'
import { startMarzbanSim } from '../../sim/marzban'
import { startMarzneshinSim } from '../../sim/marzneshin'
import { startPasarGuardSim } from '../../sim/pasarguard'

const conn = (kind: NodeConnection['kind'], baseUrl: string): NodeConnection => ({
	kind, baseUrl, tls: false, verifyTls: true, username: 'admin', password: 'admin', timeoutMs: 2000, options: {},
})

interface Setup {
	adapter: PanelAdapter
	/** Every user created in the same second, as a MySQL DATETIME column stores them. */
	tie(): void
	/** The raw list order for `?<orderParam>=created_at` (first page of 10), to prove the sim shuffles ties. */
	rawFirstPage(): Promise<string[]>
	close(): Promise<void>
}

const SEED = 424242
const kinds: Record<string, () => Promise<Setup>> = {
	async marzban() {
		const sim = await startMarzbanSim({ mysqlTies: { seed: SEED } })
		const adapter = createMarzbanAdapter(conn('marzban', sim.url))
		return {
			adapter,
			tie: () => sim.state.users.values().forEach((u) => (u.createdAt = 1_700_000_000_000)),
			rawFirstPage: async () => (await rawList(sim.url, '/api/admin/token', '/api/users?offset=0&limit=10&sort=created_at')).users.map((u: { username: string }) => u.username),
			close: async () => (await adapter.close?.(), await sim.close()),
		}
	},
	async pasarguard() {
		const sim = await startPasarGuardSim({ mysqlTies: { seed: SEED } })
		const adapter = createPasarGuardAdapter(conn('pasarguard', sim.url))
		return {
			adapter,
			tie: () => sim.state.users.values().forEach((u) => (u.createdAt = 1_700_000_000_000)),
			rawFirstPage: async () => (await rawList(sim.url, '/api/admin/token', '/api/users?offset=0&limit=10&sort=created_at')).users.map((u: { username: string }) => u.username),
			close: async () => (await adapter.close?.(), await sim.close()),
		}
	},
	async marzneshin() {
		const sim = await startMarzneshinSim({ mysqlTies: { seed: SEED } })
		const adapter = createMarzneshinAdapter(conn('marzneshin', sim.url))
		return {
			adapter,
			tie: () => sim.state.users.values().forEach((u) => (u.createdAt = 1_700_000_000_000)),
			rawFirstPage: async () => (await rawList(sim.url, '/api/admins/token', '/api/users?page=1&size=10&order_by=created_at')).items.map((u: { username: string }) => u.username),
			close: async () => (await adapter.close?.(), await sim.close()),
		}
	},
}

async function rawList(base: string, loginPath: string, path: string) {
	const login = await fetch(base + loginPath, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=admin&password=admin' })
	const { access_token } = (await login.json()) as { access_token: string }
	return (await (await fetch(base + path, { headers: { authorization: `Bearer ${access_token}` } })).json()) as Record<string, any>
}

describe.each(Object.keys(kinds))('%s: a page walk over 30 users created in the same second', (kind) => {
	let s: Setup
	const names = Array.from({ length: 30 }, (_, i) => `tie_${i}_x`)
	beforeAll(async () => {
		s = await kinds[kind]!()
		for (const username of names) await s.adapter.createAccount({ username, dataLimit: null, expireAt: null })
		s.tie()
	})
	afterAll(() => s.close())

	it('the simulator really returns tied rows in a different order per request', async () => {
		const orders = new Set<string>()
		for (let i = 0; i < 5; i++) orders.add((await s.rawFirstPage()).join(','))
		expect(orders.size).toBeGreaterThan(1)
	})

	it('lists every user exactly once', async () => {
		const seen = new Map<string, number>()
		let cursor: string | null = null
		let pages = 0
		do {
			const page = await s.adapter.listAccounts(cursor, 10)
			for (const a of page.accounts) seen.set(a.ref.username, (seen.get(a.ref.username) ?? 0) + 1)
			cursor = page.nextCursor
			expect(++pages).toBeLessThan(10)
		} while (cursor)
		const missed = names.filter((n) => !seen.has(n))
		expect(missed, `missed ${missed.length} of 30`).toEqual([])
		expect([...seen.values()].every((c) => c === 1)).toBe(true)
	})
})
