// Demo data for `npm run demo` and the e2e tests. Idempotent: running it twice changes nothing.
// Never run in production (scripts/demo.ts refuses NODE_ENV=production).
import type { PrismaClient } from '../app/generated/prisma/client'
import { hashPassword } from '../app/utils/password.server'

export const DEMO_PASSWORD = 'guardino-demo'
export const DEMO_USERS = [
	{ username: 'admin', role: 'admin', displayName: 'Demo Admin' },
	{ username: 'reseller', role: 'reseller', displayName: 'Demo Reseller' },
	{ username: 'customer', role: 'customer', displayName: 'Demo Customer' },
] as const

export async function seedDemo(prisma: PrismaClient) {
	const passwordHash = await hashPassword(DEMO_PASSWORD)
	for (const u of DEMO_USERS) {
		await prisma.user.upsert({
			where: { username: u.username },
			create: { username: u.username, role: u.role, displayName: u.displayName, passwordHash },
			update: {},
		})
	}
	await seedDemoReseller(prisma)
}

/** The demo reseller's profile, funded through the ledger once ($100; the entry's key makes it once). */
async function seedDemoReseller(prisma: PrismaClient) {
	const user = await prisma.user.findUniqueOrThrow({ where: { username: 'reseller' } })
	const reseller = await prisma.reseller.upsert({
		where: { userId: user.id },
		create: { userId: user.id, name: 'Demo Reseller', shopName: 'Demo Shop', currency: 'USD', pricePerGb: 50n, pricePerDay: 5n },
		update: {},
	})
	const { findPosted, post } = await import('../app/services/billing/ledger.server')
	const key = 'demo:reseller:opening-credit'
	if (await findPosted(key, prisma)) return
	await prisma.$transaction((tx) => post(tx, { resellerId: reseller.id, account: 'money', amount: 10_000n, kind: 'adjustment_credit', refType: 'adjustment', note: 'Demo opening credit', idempotencyKey: key }))
}

/** After the demo nodes exist: the demo reseller may sell on every one of them. */
export async function allocateDemoNodes(prisma: PrismaClient, nodeIds: number[]) {
	const reseller = await prisma.reseller.findFirst({ where: { user: { username: 'reseller' } }, select: { id: true } })
	if (!reseller) return
	for (const nodeId of nodeIds) {
		await prisma.nodeAllocation.upsert({ where: { resellerId_nodeId: { resellerId: reseller.id, nodeId } }, create: { resellerId: reseller.id, nodeId }, update: {} })
	}
}

export const DEMO_QUOTA_CUSTOMER = 'demo_quota'

/**
 * One customer of the demo reseller with a 1 GB limit on two nodes. The demo's traffic generator
 * (scripts/lib/demo-sims.ts) pushes him over it within minutes, so the usage sync and enforcement
 * can be watched disabling him. Created once, through the real quote → execute (charged through the
 * ledger, provisioned by the worker).
 */
export async function seedDemoCustomer(prisma: PrismaClient, nodeIds: number[]) {
	const reseller = await prisma.reseller.findFirst({ where: { user: { username: 'reseller' } }, select: { id: true, userId: true } })
	if (!reseller || nodeIds.length === 0) return
	if (await prisma.customer.findFirst({ where: { resellerId: reseller.id, username: DEMO_QUOTA_CUSTOMER }, select: { id: true } })) return
	const { createQuote } = await import('../app/services/billing/quotes.server')
	const { executeQuote } = await import('../app/services/billing/orders.server')
	const inputs = { kind: 'create', username: DEMO_QUOTA_CUSTOMER, note: 'Demo: goes over quota within minutes', nodeIds, gb: 1, days: 30 } as const
	const quote = await createQuote(reseller.userId, inputs)
	await executeQuote({ resellerUserId: reseller.userId, quoteId: quote.id, idempotencyKey: 'demo:customer:quota', inputs })
}
