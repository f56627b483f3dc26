// Store fixtures for the invoice tests: a node, public Rial plans on it, end users with wallets.
import { randomBytes } from 'node:crypto'
import { moveWalletMoney } from '~/services/billing/ledger.server'
import { seal } from '~/utils/crypto.server'
import { prisma } from '~/utils/db.server'
import { createUser } from '../factories'

export const GB = 1024n ** 3n

export async function storeNode(name = 'Store node') {
	return prisma.node.create({ data: { name, kind: 'marzban', baseUrl: 'http://127.0.0.1:9', secrets: seal(JSON.stringify({ username: 'a', password: 'b' })) } })
}

export async function storePlan(nodeIds: number[], over: { price?: bigint; days?: number; gb?: bigint; trial?: boolean; categoryId?: number; resetOnRenew?: boolean; name?: string } = {}) {
	return prisma.plan.create({
		data: {
			name: over.name ?? `Plan ${randomBytes(2).toString('hex')}`,
			days: over.days ?? 30,
			dataLimitBytes: (over.gb ?? 50n) * GB,
			publicPrice: over.price ?? 1_000_000n,
			resellerPrice: 0n,
			currency: 'IRR',
			trial: over.trial ?? false,
			resetOnRenew: over.resetOnRenew ?? false,
			categoryId: over.categoryId ?? null,
			nodes: { create: nodeIds.map((nodeId) => ({ nodeId })) },
		},
	})
}

export async function endUser(funds = 0n) {
	const user = await createUser('customer')
	if (funds > 0n) await prisma.$transaction((tx) => moveWalletMoney(tx, { wallet: { userId: user.id }, amount: funds, counter: 'cash:manual', kind: 'top_up', idempotencyKey: `test-fund:${user.id}` }))
	return user
}

export const walletOf = async (userId: number) => (await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { walletBalance: true } })).walletBalance

export const formKey = () => randomBytes(8).toString('hex')

export async function jobsFor(customerId: number) {
	const rows = await prisma.$queryRaw<Array<{ n: bigint }>>`select count(*)::bigint as n from graphile_worker._private_jobs where (payload->>'customerId')::int = ${customerId}`
	return Number(rows[0]!.n)
}
