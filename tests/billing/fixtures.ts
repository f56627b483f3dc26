// A reseller with allocations on simulated nodes, funded through the ledger.
import { randomUUID } from 'node:crypto'
import { post } from '~/services/billing/ledger.server'
import { createNode } from '~/services/nodes.server'
import { prisma } from '~/utils/db.server'
import { SIM_CREDENTIALS, type startAllSims } from '../../sim/start-all'
import { createUser } from '../factories'

type Sims = Awaited<ReturnType<typeof startAllSims>>

export async function simNodes(sims: Sims, adminId: number) {
	const base = { tls: false, verifyTls: false, transport: 'rest' as const, usageMultiplier: '1', selected: [] }
	const mk = async (name: string, extra: Record<string, unknown>) => {
		const r = await createNode({ ...base, name, ...extra } as unknown as Parameters<typeof createNode>[0], adminId)
		if (!r.ok) throw new Error(`node ${name}: ${JSON.stringify(r)}`)
		return r.nodeId
	}
	return {
		marzban: await mk('Sim Marzban', { kind: 'marzban', baseUrl: sims.marzban.url, ...SIM_CREDENTIALS.xray }),
		wgdashboard: await mk('Sim WG', { kind: 'wgdashboard', baseUrl: sims.wgdashboard.url, apiKey: SIM_CREDENTIALS.wgdashboardApiKey, wgEndpoint: 'vpn.example.com:51820' }),
		marzneshin: await mk('Sim Marzneshin', { kind: 'marzneshin', baseUrl: sims.marzneshin.url, ...SIM_CREDENTIALS.xray }),
	}
}

export interface ResellerOpts {
	nodeIds: number[]
	funds?: bigint
	creditLimit?: bigint
	pricePerGb?: bigint
	pricePerDay?: bigint
	pricingMode?: 'per_node' | 'bundle'
	fundingModel?: 'wallet' | 'pool'
	poolBytes?: bigint
	nodePrices?: Record<number, bigint>
	minGb?: number
	maxGb?: number
}

export async function createReseller(opts: ResellerOpts) {
	const user = await createUser('reseller')
	const reseller = await prisma.reseller.create({
		data: {
			userId: user.id,
			name: user.username,
			creditLimit: opts.creditLimit ?? 0n,
			pricePerGb: opts.pricePerGb ?? 100n,
			pricePerDay: opts.pricePerDay ?? 10n,
			pricingMode: opts.pricingMode ?? 'per_node',
			fundingModel: opts.fundingModel ?? 'wallet',
			minGb: opts.minGb ?? null,
			maxGb: opts.maxGb ?? null,
			allocations: { create: opts.nodeIds.map((nodeId) => ({ nodeId, pricePerGb: opts.nodePrices?.[nodeId] ?? null })) },
		},
	})
	if (opts.funds) await fund(reseller.id, opts.funds)
	if (opts.poolBytes) await prisma.$transaction((tx) => post(tx, { resellerId: reseller.id, account: 'traffic', amount: opts.poolBytes!, kind: 'top_up', idempotencyKey: randomUUID() }))
	return { user, reseller }
}

export function fund(resellerId: number, amount: bigint) {
	return prisma.$transaction((tx) => post(tx, { resellerId, account: 'money', amount, kind: amount >= 0n ? 'adjustment_credit' : 'adjustment_debit', refType: 'adjustment', idempotencyKey: randomUUID(), note: 'test' }))
}

/** The invariant: the cached balance equals the sum of the entries, per account. */
export async function assertLedgerConsistent(resellerId: number) {
	const r = await prisma.reseller.findUniqueOrThrow({ where: { id: resellerId } })
	const sums = await prisma.ledgerEntry.groupBy({ by: ['account'], where: { resellerId }, _sum: { amount: true } })
	const sum = (a: string) => sums.find((s) => s.account === a)?._sum.amount ?? 0n
	return { balance: r.balance, moneySum: sum('money'), poolBytes: r.poolBytes, trafficSum: sum('traffic'), creditLimit: r.creditLimit }
}

/**
 * Double entry (issue 11): every ledger transaction has a wallet leg and at least one other leg,
 * and sums to zero per currency. Returns the offending transactions (none when the ledger is sound).
 */
export async function unbalancedTransactions() {
	return prisma.$queryRaw<Array<{ transaction_id: bigint; currency: string; total: bigint; legs: bigint }>>`
		select t.id as transaction_id, e.currency, coalesce(sum(e.amount), 0)::bigint as total, count(e.id) as legs
		from ledger_transactions t left join ledger_entries e on e.transaction_id = t.id
		group by t.id, e.currency
		having coalesce(sum(e.amount), 0) <> 0 or count(e.id) < 2`
}
