// A usage round is complete by construction (issue 10): accounts deleted on the panel in the middle
// of the bulk walk shift every later offset, so a page walk skips live accounts; the round then
// reads each live sub-account the walk did not return on its own, and counts it like a listed one.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { syncNodeUsage } from '~/services/usage/sync.server'
import { prisma } from '~/utils/db.server'
import { startAllSims } from '../../sim/start-all'
import { addCustomer, usageNodes, usedOf, type Kind, type Sims } from './fixtures'

let sims: Sims
let nodes: Record<Kind, number>
beforeAll(async () => {
	sims = await startAllSims({ fixedPorts: false })
	nodes = await usageNodes(sims)
})
afterAll(() => sims.close())

type XrayKind = 'marzban' | 'pasarguard' | 'marzneshin'

/** Per simulator: make an account as another tool would, delete one, list every name. */
function panel(kind: XrayKind) {
	if (kind === 'marzban') {
		const s = sims.marzban.state
		return { s, create: (u: string) => s.createUser({ username: u, proxies: { vless: {} }, inbounds: {} }), remove: (u: string) => s.users.delete(u), names: () => s.users.values().map((u) => u.username) }
	}
	if (kind === 'pasarguard') {
		const s = sims.pasarguard.state
		const remove = (name: string) => {
			const u = s.users.get(name)
			if (u) s.byId.delete(u.id)
			s.users.delete(name)
		}
		return { s, create: (u: string) => s.createUser({ username: u, group_ids: [1] }), remove, names: () => s.users.values().map((u) => u.username) }
	}
	const s = sims.marzneshin.state
	return { s, create: (u: string) => s.createUser({ username: u, expire_strategy: 'never', service_ids: [1] }), remove: (u: string) => s.users.delete(u), names: () => s.users.values().map((u) => u.username) }
}

describe('a round never skips a live account', () => {
	test.each(['marzban', 'pasarguard', 'marzneshin'] as const)('%s: accounts deleted during the walk shift the pages; the skipped ones are read one by one', async (kind) => {
		const p = panel(kind)
		// Accounts of someone else's, listed before ours (earlier created_at, and a name sorting first).
		for (let i = 0; i < 10; i++) expect(p.create(`a_foreign_${kind}_${i}`).status).toBeLessThan(300)
		const ours = []
		for (let i = 0; i < 20; i++) ours.push(await addCustomer([nodes[kind]]))
		const traffic = Object.fromEntries(ours.map((c, i) => [c.remoteUsername, 1000 + i]))
		simOf(kind).control.addTraffic(traffic)
		// One of ours is gone from the panel altogether: recorded, not a crash.
		const gone = ours.pop()!
		p.remove(gone.remoteUsername)
		// While the walk fetches its second page, everything that is not ours is deleted.
		const mine = new Set(ours.map((c) => c.remoteUsername))
		p.s.onList = (n) => {
			if (n === 2) for (const name of p.names()) if (!mine.has(name)) p.remove(name)
		}
		let r: Awaited<ReturnType<typeof syncNodeUsage>>
		try {
			r = await syncNodeUsage(nodes[kind], { pageSize: 10, timeoutMs: 5000 })
		} finally {
			p.s.onList = undefined
		}
		const uncounted = []
		for (const c of ours) if ((await usedOf(c.customer.id)) !== BigInt(traffic[c.remoteUsername]!)) uncounted.push(c.remoteUsername)
		expect(uncounted).toEqual([])
		// Page 1 held 10 foreign accounts; page 2 then started at offset 10 of our 19: 10 skipped.
		expect(r).toMatchObject({ fetchedIndividually: 11, missingOnPanel: 1, failures: 0, matched: 19, changed: 19 })
		expect(await usedOf(gone.customer.id)).toBe(0n)
		const node = await prisma.node.findUniqueOrThrow({ where: { id: nodes[kind] } })
		expect(node).toMatchObject({ lastSyncFetched: 11, lastSyncMissing: 1 })
		// The next undisturbed round lists all of them: only the missing one is read on its own.
		expect(await syncNodeUsage(nodes[kind], { pageSize: 10, timeoutMs: 5000 })).toMatchObject({ fetchedIndividually: 1, missingOnPanel: 1, changed: 0 })
	})
})

const simOf = (kind: XrayKind) => sims[kind]
