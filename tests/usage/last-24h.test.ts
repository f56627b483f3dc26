// The admin dashboard's last 24 hours (issue 15): the usage sync writes half-hour slots per node
// beside usage_daily, and the dashboard's loader sums them into 24 hourly buckets of Tehran's
// hours (+03:30, so a Tehran hour starts at :30 UTC), the last one the hour now running; each
// node's figure covers the same window; older slots and deleted nodes are left out.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as adminHome from '~/routes/admin+/index'
import { syncNodeUsage } from '~/services/usage/sync.server'
import { createSession } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { startAllSims } from '../../sim/start-all'
import { createUser } from '../factories'
import { BASE } from '../helpers'
import { call, getPage } from '../reseller/fixtures'
import { addCustomer, simOf, usageNodes, type Kind, type Sims } from './fixtures'

const HOUR = 3_600_000
const HALF = HOUR / 2
/** Asia/Tehran has kept +03:30 all year since 2022: its hours start at :30 UTC. */
const tehranHourStart = (t: number) => Math.floor((t - HALF) / HOUR) * HOUR + HALF

let sims: Sims
let nodes: Record<Kind, number>
let cookie: string
beforeAll(async () => {
	sims = await startAllSims({ fixedPorts: false })
	nodes = await usageNodes(sims)
	const admin = await createUser('admin')
	cookie = (await createSession(admin.id, new Request(BASE))).split(';')[0]!
})
afterAll(() => sims.close())

const dashboard = async () => (await call(adminHome.loader, getPage('/admin', cookie))).data
const bucketsOf = (f: { hours: Array<{ hour: string; bytes: bigint }> }) => f.hours.map((h) => h.bytes)

describe('admin dashboard: the last 24 hours, hourly in Tehran', () => {
	test('a sync lands in the running hour; slots sum into Tehran hours; older slots and deleted nodes are out', async () => {
		const node = nodes.marzban
		const { remoteUsername } = await addCustomer([node])
		simOf(sims, 'marzban').control.addTraffic({ [remoteUsername]: 7000 })
		expect(await syncNodeUsage(node, { timeoutMs: 5000 })).toMatchObject({ changed: 1, failures: 0 })
		const slots = await prisma.usageHalfHour.findMany({ where: { nodeId: node } })
		expect(slots).toHaveLength(1)
		expect(slots[0]!.bytes).toBe(7000n)
		expect(slots[0]!.slot.getTime() % HALF).toBe(0)

		const before = await dashboard()
		expect(before.hours).toHaveLength(24)
		expect(before.timezone).toBe('Asia/Tehran')
		const current = tehranHourStart(Date.now())
		expect(before.hours[23].hour).toBe(new Date(current).toISOString())
		expect(before.hours[0].hour).toBe(new Date(current - 23 * HOUR).toISOString())
		expect(bucketsOf(before)[23]).toBe(7000n)
		expect(before.nodes.find((n: { id: number }) => n.id === node).last24hBytes).toBe(7000n)

		// Slots around the window's edges, written as the sync would (on other nodes, to keep sums apart).
		const other = nodes.pasarguard
		const gone = nodes.wgdashboard
		const put = (nodeId: number, at: number, bytes: bigint) => prisma.usageHalfHour.create({ data: { nodeId, slot: new Date(at), bytes } })
		const start = current - 23 * HOUR
		await put(other, start, 1n) // the first bucket's first half …
		await put(other, start + HALF, 2n) // … and its second half: one Tehran hour
		await put(other, start - HALF, 4n) // 24 h and a half ago: out
		await put(other, current - HALF, 8n) // the previous hour's second half
		await put(gone, current, 16n)
		await prisma.node.update({ where: { id: gone }, data: { deletedAt: new Date() } })

		const f = await dashboard()
		const buckets = bucketsOf(f)
		expect(buckets[0]).toBe(3n)
		expect(buckets[22]).toBe(8n)
		expect(buckets[23]).toBe(7000n)
		expect(buckets.reduce((a: bigint, b: bigint) => a + b, 0n)).toBe(7011n)
		expect(f.nodes.find((n: { id: number }) => n.id === other).last24hBytes).toBe(11n)
		expect(f.nodes.find((n: { id: number }) => n.id === gone)).toBeUndefined()
	})
})
