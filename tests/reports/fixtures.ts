// A small hub with money history spread over two Jalali months (issue 14): two Rial resellers
// with orders on two nodes, a store user who paid an invoice with a coupon, refunds, a node
// credit, a failed node's reversal, receipts with known approval times, and daily usage. Every
// money movement goes through the ledger's writer (post / moveWalletMoney, backdated with `at`);
// POSTINGS lists them, so tests can compute the expected figures on their own.
import { randomBytes } from 'node:crypto'
import { moveWalletMoney, post, type LedgerKind } from '~/services/billing/ledger.server'
import { seal } from '~/utils/crypto.server'
import { prisma } from '~/utils/db.server'
import { createUser } from '../factories'

export const GB = 1024n ** 3n
export const DAY = 86_400_000

export interface Posting {
	/** Who the wallet leg belongs to. */
	wallet: { resellerId: number } | { userId: number }
	/** The wallet side (signed); the revenue leg is its negative. */
	amount: bigint
	kind: LedgerKind
	refType?: 'order' | 'invoice' | 'adjustment'
	refId?: number | bigint
	key: string
	at: Date
	/** The counter account (default revenue). */
	counter?: string
}

const token = () => `tok_${randomBytes(12).toString('hex')}`

export async function reportWorld(now = new Date()) {
	const node = (name: string) => prisma.node.create({ data: { name, kind: 'marzban', baseUrl: 'http://127.0.0.1:9', secrets: seal(JSON.stringify({ username: 'a', password: 'b' })) } })
	const nodeA = await node('Report node A')
	const nodeB = await node('Report node B')
	const plan = await prisma.plan.create({ data: { name: 'Report plan', days: 30, dataLimitBytes: 50n * GB, publicPrice: 1_000_000n, resellerPrice: 500_000n, currency: 'IRR', nodes: { create: [{ nodeId: nodeA.id }, { nodeId: nodeB.id }] } } })
	const reseller = async (name: string) => {
		const user = await createUser('reseller')
		const r = await prisma.reseller.create({ data: { userId: user.id, name, currency: 'IRR', creditLimit: 0n } })
		return { user, reseller: r }
	}
	const r1 = await reseller('Reseller One')
	const r2 = await reseller('Reseller Two')
	const storeUser = await createUser('customer')
	const customer = (resellerId: number | null, username: string, planId: number | null, userId: number | null = null) =>
		prisma.customer.create({ data: { resellerId, userId, username, planId, dataLimitBytes: 50n * GB, usedBytes: 3n * GB, expireAt: new Date(now.getTime() + 20 * DAY), subToken: token() } })
	const c1 = await customer(r1.reseller.id, 'rep_c1', plan.id)
	const c2 = await customer(r1.reseller.id, 'rep_c2', null)
	const c3 = await customer(r2.reseller.id, 'rep_c3', plan.id)
	const storeService = await customer(null, 'rep_store', plan.id, storeUser.id)
	await prisma.customer.update({ where: { id: c2.id }, data: { status: 'disabled' } }) // not active: not counted as an active paid service
	const subA1 = await prisma.subAccount.create({ data: { customerId: c1.id, nodeId: nodeA.id, remoteUsername: 'rep_c1_a', state: 'active' } })
	await prisma.subAccount.create({ data: { customerId: c1.id, nodeId: nodeB.id, remoteUsername: 'rep_c1_b', state: 'active' } })
	await prisma.subAccount.create({ data: { customerId: c3.id, nodeId: nodeB.id, remoteUsername: 'rep_c3_b', state: 'active' } })
	const order = (resellerId: number | null, customerId: number, amount: bigint, shares: Record<number, bigint>, at: Date, kind = 'create') =>
		prisma.order.create({
			data: {
				resellerId, customerId, kind, status: 'completed', amount, currency: 'IRR', trafficBytes: 10n * GB, days: 30, createdAt: at,
				quote: { items: { items: [], nodeShares: Object.fromEntries(Object.entries(shares).map(([k, v]) => [k, String(v)])) }, total: String(amount) },
				idempotencyKey: `rep-order-${randomBytes(6).toString('hex')}`,
			},
		})
	const ago = (days: number) => new Date(now.getTime() - days * DAY)
	// Orders: c1 on A+B (shares 700,001 : 300,999 — an odd split, so truncation leaves remainders), c2 custom on A, c3 on B.
	const o1 = await order(r1.reseller.id, c1.id, 1_001_000n, { [nodeA.id]: 700_001n, [nodeB.id]: 300_999n }, ago(40))
	const o2 = await order(r1.reseller.id, c2.id, 333_333n, { [nodeA.id]: 333_333n }, ago(10))
	const o3 = await order(r2.reseller.id, c3.id, 250_000n, { [nodeB.id]: 250_000n }, ago(2))
	const oRefund = await order(r1.reseller.id, c2.id, -100_000n, {}, ago(5), 'refund')
	// The store invoice: 1,000,000 Rial less a 200,000 coupon, paid from the wallet 3 days ago.
	const inv = await prisma.invoice.create({
		data: { userId: storeUser.id, kind: 'new', planId: plan.id, customerId: storeService.id, subtotal: 1_000_000n, discount: 200_000n, total: 800_000n, lines: { create: [{ position: 1, kind: 'plan', labelKey: 'invoices.line.plan', values: {}, unitAmount: 1_000_000n, amount: 1_000_000n }] } },
	})
	await prisma.invoice.update({ where: { id: inv.id }, data: { status: 'paid', paymentStatus: 'paid', series: 'GH', jalaliYear: 1405, seq: Number(inv.id) + 500_000, number: `GH-1405-${Number(inv.id) + 500_000}`, issuedAt: ago(3), paidAt: ago(3) } })

	const postings: Posting[] = [
		{ wallet: { resellerId: r1.reseller.id }, amount: 5_000_000n, kind: 'adjustment_credit', refType: 'adjustment', key: `rep:fund:${r1.reseller.id}`, at: ago(50), counter: 'cash:manual' },
		{ wallet: { resellerId: r2.reseller.id }, amount: 5_000_000n, kind: 'adjustment_credit', refType: 'adjustment', key: `rep:fund:${r2.reseller.id}`, at: ago(50), counter: 'cash:manual' },
		{ wallet: { userId: storeUser.id }, amount: 2_000_000n, kind: 'top_up', key: `rep:fund:user:${storeUser.id}`, at: ago(50), counter: 'cash:manual' },
		{ wallet: { resellerId: r1.reseller.id }, amount: -1_001_000n, kind: 'charge', refType: 'order', refId: o1.id, key: `order:${o1.id}:charge`, at: ago(40) },
		{ wallet: { resellerId: r1.reseller.id }, amount: -333_333n, kind: 'charge', refType: 'order', refId: o2.id, key: `order:${o2.id}:charge`, at: ago(10) },
		{ wallet: { resellerId: r2.reseller.id }, amount: -250_000n, kind: 'charge', refType: 'order', refId: o3.id, key: `order:${o3.id}:charge`, at: ago(2) },
		// node A of o1 failed: its reversal, keyed by the sub-account (attributed to node A)
		{ wallet: { resellerId: r1.reseller.id }, amount: 70_000n, kind: 'reversal', refType: 'order', refId: o1.id, key: `sub:${subA1.id}:reversal:order:${o1.id}`, at: ago(39) },
		{ wallet: { resellerId: r1.reseller.id }, amount: 100_000n, kind: 'refund', refType: 'order', refId: oRefund.id, key: `order:${oRefund.id}:credit`, at: ago(5) },
		{ wallet: { resellerId: r1.reseller.id }, amount: 50_000n, kind: 'node_credit', refType: 'order', refId: o1.id, key: `order:${o1.id}:node-credit`, at: ago(9) },
		{ wallet: { userId: storeUser.id }, amount: -800_000n, kind: 'charge', refType: 'invoice', refId: inv.id, key: `invoice:${inv.id}:wallet`, at: ago(3) },
		{ wallet: { userId: storeUser.id }, amount: 30_001n, kind: 'refund', refType: 'invoice', refId: inv.id, key: `invoice:${inv.id}:proration_excess`, at: ago(3) },
	]
	for (const p of postings) {
		await prisma.$transaction((tx) => {
			const base = { amount: p.amount, kind: p.kind, refType: p.refType, refId: p.refId == null ? undefined : String(p.refId), idempotencyKey: p.key, at: p.at, counter: p.counter ?? 'revenue', allowOverdraft: true }
			return 'resellerId' in p.wallet ? post(tx, { ...base, resellerId: p.wallet.resellerId, account: 'money' }) : moveWalletMoney(tx, { ...base, wallet: p.wallet })
		})
	}

	// Receipts decided in the range: approval after 10, 20, 30, 40 and 100 minutes; one rejected (not counted).
	const method = await prisma.paymentMethod.create({ data: { kind: 'card', alias: 'Report card', dailyCountLimit: 10, dailyAmountLimit: 50_000_000n, details: { number: '6037990000001234', holder: 'A', bank: 'Melli' } } })
	const minutes = [10, 20, 30, 40, 100]
	for (const [i, m] of [...minutes, 5].entries()) {
		const submittedAt = ago(4 + i)
		const res = await prisma.paymentReservation.create({ data: { methodId: method.id, amount: 1_000_000n, reservedAt: submittedAt, expiresAt: new Date(submittedAt.getTime() + 3_600_000), usedAt: submittedAt } })
		await prisma.payment.create({
			data: {
				userId: r1.user.id, resellerId: r1.reseller.id, channel: 'card', status: i < minutes.length ? 'settled' : 'rejected', amount: 1_000_005n, methodId: method.id, reservationId: res.id,
				expiresAt: new Date(submittedAt.getTime() + 3_600_000), submittedAt, decidedAt: new Date(submittedAt.getTime() + m * 60_000), createdAt: submittedAt, trackingCode: `T${method.id}-${i}`,
			},
		})
	}
	// Daily usage for the usage sheets.
	await prisma.usageDaily.createMany({ data: [{ customerId: c1.id, nodeId: nodeA.id, day: new Date(ago(3).toISOString().slice(0, 10)), bytes: 2n * GB }, { customerId: c3.id, nodeId: nodeB.id, day: new Date(ago(3).toISOString().slice(0, 10)), bytes: GB }] })

	const router = await prisma.router.create({ data: { name: 'Report router', transport: 'rest', baseUrl: 'http://127.0.0.1:9', tls: false, verifyTls: false, secrets: seal(JSON.stringify({ username: 'u', password: 'p' })), interfaces: ['wg0'] } })
	const peer = await prisma.routerPeer.create({ data: { routerId: router.id, interface: 'wg0', publicKey: randomBytes(32).toString('base64'), name: 'office' } })
	await prisma.routerPeerDaily.create({ data: { peerId: peer.id, routerId: router.id, day: new Date(ago(1).toISOString().slice(0, 10)), rx: 3n * GB, tx: GB } })

	return { now, router, peer, nodeA, nodeB, plan, r1, r2, storeUser, c1, c2, c3, storeService, orders: { o1, o2, o3, oRefund }, invoice: inv, postings, approvalMinutes: minutes, method }
}

/** Removes the files this test database's exports wrote (REPORTS_DIR is shared by every test file). */
export async function removeExportFiles() {
	const { rm } = await import('node:fs/promises')
	for (const e of await prisma.reportExport.findMany({ where: { file: { not: null } }, select: { file: true } })) await rm(e.file!, { force: true })
}
