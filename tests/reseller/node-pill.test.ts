// The customer page's per-node pill follows the panel's real status as last read back
// (remoteStatus), not only the sub-account's lifecycle state: after a disable or a refund it says
// "disabled" on every node, where it used to stay "active". Checked through the loader's data.
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as detail from '~/routes/reseller+/customers.$id'
import { reconcileCustomer } from '~/services/provisioning.server'
import { startAllSims } from '../../sim/start-all'
import { call, createThroughRoutes, formPost, getPage, latestOrder, operateThroughRoutes, resellerFixture, simNodes, type Sims } from './fixtures'

let sims: Sims
let nodes: Awaited<ReturnType<typeof simNodes>>
beforeAll(async () => {
	sims = await startAllSims({ fixedPorts: false })
	nodes = await simNodes(sims)
})
afterAll(async () => {
	await sims.close()
})

async function provisioned() {
	const r = await resellerFixture({ nodeIds: [nodes.marzban, nodes.wgdashboard], funds: 1_000_000n })
	const { customerId } = await createThroughRoutes(r.cookie, { nodeIds: [String(nodes.marzban), String(nodes.wgdashboard)], gb: '10', days: '30' })
	await reconcileCustomer(customerId!, (await latestOrder(customerId!)).id)
	return { ...r, customerId: customerId!, path: `/reseller/customers/${customerId}`, params: { id: String(customerId) } }
}

async function pills(x: Awaited<ReturnType<typeof provisioned>>) {
	const page = await call(detail.loader, getPage(x.path, x.cookie), x.params)
	return page.data.subAccounts.map((s: { state: string; pill: string }) => [s.state, s.pill])
}

test('after a disable every node shows its remote status, while the sub-accounts stay active', async () => {
	const x = await provisioned()
	expect(await pills(x)).toEqual([['active', 'active'], ['active', 'active']])
	expect((await call(detail.action, formPost(x.path, { intent: 'manual', action: 'disable' }, x.cookie), x.params)).status).toBe(302)
	await reconcileCustomer(x.customerId)
	expect(await pills(x)).toEqual([['active', 'disabled'], ['active', 'disabled']])
})

test('after a refund the pills say disabled, not active', async () => {
	const x = await provisioned()
	const { executed } = await operateThroughRoutes(x.cookie, x.customerId, { op: 'refund' })
	expect(executed!.status).toBe(302)
	await reconcileCustomer(x.customerId)
	const after = await pills(x)
	expect(after).toHaveLength(2)
	for (const [, pill] of after) expect(pill).toBe('disabled')
})
