// Demo data for `npm run demo` and the e2e tests. Idempotent: running it twice changes nothing.
// Never run in production (scripts/demo.ts refuses NODE_ENV=production).
import type { PrismaClient } from '../app/generated/prisma/client'
import { hashPassword } from '../app/utils/password.server'

export const DEMO_PASSWORD = 'guardino-demo'
export const DEMO_USERS = [
	{ username: 'admin', role: 'admin', displayName: 'Demo Admin' },
	{ username: 'reseller', role: 'reseller', displayName: 'Demo Reseller' },
	{ username: 'customer', role: 'customer', displayName: 'Demo Customer' },
	// Issue 11: a reseller whose wallet is in Rial, so card / sheba / crypto top-ups can be tried
	// (the USD demo reseller's figures are what the e2e specs check).
	{ username: 'reseller_irr', role: 'reseller', displayName: 'Demo Reseller (Rial)' },
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
	await seedDemoRialReseller(prisma)
	await seedDemoPaymentMethods(prisma)
}

/** The Rial reseller: realistic Rial prices (35,000 Rial ≈ 3,500 Toman per GB, 2,000 Rial a day), no opening credit: he tops up by receipt. */
async function seedDemoRialReseller(prisma: PrismaClient) {
	const user = await prisma.user.findUniqueOrThrow({ where: { username: 'reseller_irr' } })
	await prisma.reseller.upsert({
		where: { userId: user.id },
		create: { userId: user.id, name: 'Demo Reseller (Rial)', shopName: 'فروشگاه نمایشی', currency: 'IRR', pricePerGb: 35_000n, pricePerDay: 2_000n, creditLimit: 2_000_000n },
		update: {},
	})
}

/** Two cards with daily limits (rotation moves payers on), one sheba and one USDT wallet; created once, by alias. */
async function seedDemoPaymentMethods(prisma: PrismaClient) {
	const methods = [
		{ kind: 'card', alias: 'کارت ملی (اصلی)', priority: 1, minAmount: 100_000n, maxAmount: 500_000_000n, dailyCountLimit: 20, dailyAmountLimit: 1_000_000_000n, details: { number: '6037990000000006', holder: 'علی رضایی', bank: 'ملی' } },
		{ kind: 'card', alias: 'کارت ملت (دوم)', priority: 2, minAmount: 100_000n, maxAmount: 500_000_000n, dailyCountLimit: 10, dailyAmountLimit: 500_000_000n, details: { number: '6104337000000008', holder: 'مریم احمدی', bank: 'ملت' } },
		{ kind: 'iban', alias: 'شبای سامان', priority: 1, minAmount: 1_000_000n, details: { sheba: 'IR062960000000100324200001', holder: 'علی رضایی', bank: 'سامان' } },
		{ kind: 'crypto', alias: 'تتر (ترون)', priority: 1, details: { asset: 'USDT', network: 'TRC20', address: 'TXYZdemo1234567890abcdefGHJKLmnop' } },
	] as const
	for (const m of methods) {
		if (await prisma.paymentMethod.findFirst({ where: { alias: m.alias }, select: { id: true } })) continue
		await prisma.paymentMethod.create({ data: { ...m, details: { ...m.details } } })
	}
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
	for (const reseller of await prisma.reseller.findMany({ where: { user: { username: { in: ['reseller', 'reseller_irr'] } } }, select: { id: true } })) {
		for (const nodeId of nodeIds) {
			await prisma.nodeAllocation.upsert({ where: { resellerId_nodeId: { resellerId: reseller.id, nodeId } }, create: { resellerId: reseller.id, nodeId }, update: {} })
		}
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

/**
 * The demo storefront, in Toman (prices stored in Rial): an exclusive VPN category (one live
 * service per user: buying again renews or upgrades), a non-exclusive add-on category, a trial,
 * a zero-price plan and paid plans on the demo's nodes. Created once, by name.
 */
export async function seedDemoCatalogue(prisma: PrismaClient, nodeIds: number[]) {
	if (nodeIds.length === 0) return
	const category = async (name: string, sortOrder: number, exclusive: boolean) =>
		(await prisma.planCategory.findFirst({ where: { name, parentId: null } })) ?? (await prisma.planCategory.create({ data: { name, sortOrder, exclusive } }))
	const vpn = await category('اشتراک ماهانه', 1, true)
	const extras = await category('بسته‌های ویژه', 2, false)
	const xray = nodeIds.slice(0, 3)
	const plans = [
		{ name: 'آزمایشی یک‌روزه', categoryId: vpn.id, days: 1, gb: 1, toman: 0, trial: true, nodes: xray.slice(0, 1) },
		{ name: 'برنزی', categoryId: vpn.id, days: 30, gb: 30, toman: 150_000, nodes: xray.slice(0, 1) },
		{ name: 'نقره‌ای', categoryId: vpn.id, days: 30, gb: 60, toman: 250_000, nodes: xray.slice(0, 2) },
		{ name: 'طلایی سه‌ماهه', categoryId: vpn.id, days: 90, gb: 200, toman: 650_000, nodes: xray, resetOnRenew: true },
		{ name: 'هدیهٔ دانشجویی', categoryId: extras.id, days: 7, gb: 5, toman: 0, nodes: xray.slice(0, 1) },
		{ name: 'وایرگارد ۲۰ گیگ', categoryId: extras.id, days: 30, gb: 20, toman: 120_000, nodes: nodeIds.slice(3, 4).length ? nodeIds.slice(3, 4) : xray.slice(0, 1) },
	]
	for (const p of plans) {
		if (await prisma.plan.findFirst({ where: { name: p.name }, select: { id: true } })) continue
		await prisma.plan.create({
			data: {
				name: p.name,
				days: p.days,
				dataLimitBytes: BigInt(p.gb) * 1024n ** 3n,
				publicPrice: BigInt(p.toman) * 10n, // Rial
				resellerPrice: BigInt(p.toman) * 7n, // 70 % of the Toman price, in the plan's currency (IRT)
				currency: 'IRT',
				categoryId: p.categoryId,
				visibility: 'public',
				trial: p.trial ?? false,
				resetOnRenew: p.resetOnRenew ?? false,
				nodes: { create: p.nodes.map((nodeId) => ({ nodeId })) },
			},
		})
	}
	if (!(await prisma.setting.findUnique({ where: { key: 'store' } }))) {
		await prisma.setting.create({ data: { key: 'store', value: { companyName: 'گاردینو (نسخهٔ نمایشی)', address: 'تهران', taxId: '', terms: '', invoiceFooter: 'با سپاس از خرید شما', taxRateBp: 0, taxInclusive: false, displayCurrency: 'IRT' } } })
	}
}

/**
 * Five months of the Rial reseller's business (issue 14, reports), so the charts and statements
 * have content: an opening top-up by card receipt, customers bought on the demo nodes every few
 * days (some on the store's plans), a refund and a failed node's reversal now and then. Orders are
 * rows as the wizard makes them (quote with node shares); every movement goes through the ledger's
 * writer, dated when it happened (`at`). Demo only; created once (its first customer marks it done).
 */
export async function seedDemoResellerHistory(prisma: PrismaClient, nodeIds: number[]) {
	const { post } = await import('../app/services/billing/ledger.server')
	const r = await prisma.reseller.findFirst({ where: { user: { username: 'reseller_irr' } }, select: { id: true, userId: true } })
	if (!r || nodeIds.length < 2) return
	if (await prisma.customer.findFirst({ where: { resellerId: r.id, username: 'hist_01' }, select: { id: true } })) return
	const DAY = 86_400_000
	const now = Date.now()
	const ago = (days: number, minutes = 0) => new Date(now - days * DAY + minutes * 60_000)
	const method = await prisma.paymentMethod.findFirst({ where: { kind: 'card', active: true }, orderBy: { priority: 'asc' }, select: { id: true } })
	const plans = await prisma.plan.findMany({ where: { name: { in: ['برنزی', 'نقره‌ای'] } }, select: { id: true } })
	const money = (tx: Parameters<typeof post>[0], input: Omit<Parameters<typeof post>[1], 'resellerId' | 'account'>) => post(tx, { ...input, resellerId: r.id, account: 'money', allowOverdraft: true })

	// Top-ups: card receipts approved after 7–95 minutes (the approval-time figures), every 30 days.
	for (let i = 0; i < 5; i++) {
		const submittedAt = ago(150 - i * 30)
		const decidedAt = new Date(submittedAt.getTime() + [7, 25, 12, 95, 40][i]! * 60_000)
		const amount = 30_000_000n
		const payment = await prisma.payment.create({
			data: { userId: r.userId, resellerId: r.id, channel: 'card', status: 'settled', amount, methodId: method?.id ?? null, expiresAt: new Date(submittedAt.getTime() + 3_600_000), submittedAt, decidedAt, settledAt: decidedAt, createdAt: submittedAt, trackingCode: `DEMO-HIST-${i}` },
		})
		await prisma.$transaction((tx) => money(tx, { amount, kind: 'top_up', refType: 'payment', refId: String(payment.id), counter: method ? `cash:method:${method.id}` : 'cash:manual', idempotencyKey: `demo:history:topup:${i}`, at: decidedAt }))
	}

	// A customer every ~3 days: 10–50 GB, 30 days, on one or two nodes (35,000 Rial per GB per node + 2,000 a day).
	for (let i = 0; i < 50; i++) {
		const daysAgo = 148 - i * 3
		const at = ago(daysAgo, (i * 37) % 600)
		const gb = 10 + ((i * 7) % 5) * 10
		const nodes = i % 3 === 0 ? nodeIds.slice(0, 2) : [nodeIds[i % nodeIds.length]!]
		const shares: Record<string, string> = {}
		for (const n of nodes) shares[n] = String(35_000 * gb + Math.floor((2_000 * 30) / nodes.length))
		const total = Object.values(shares).reduce((s, v) => s + BigInt(v), 0n)
		const expired = daysAgo > 30
		const customer = await prisma.customer.create({
			data: {
				resellerId: r.id, username: `hist_${String(i + 1).padStart(2, '0')}`, note: 'demo history', planId: i % 4 === 0 ? (plans[i % Math.max(1, plans.length)]?.id ?? null) : null,
				dataLimitBytes: BigInt(gb) * 1024n ** 3n, usedBytes: (BigInt(gb) * 1024n ** 3n * BigInt(20 + (i % 7) * 10)) / 100n,
				expireAt: new Date(at.getTime() + 30 * DAY), status: expired ? 'expired' : 'active', purchasedAt: at, createdAt: at, subToken: `demo_hist_${i}_${Math.random().toString(36).slice(2)}`,
			},
		})
		const order = await prisma.order.create({
			data: { resellerId: r.id, customerId: customer.id, kind: 'create', status: 'completed', amount: total, currency: 'IRR', trafficBytes: BigInt(gb) * 1024n ** 3n, days: 30, trafficAmount: 35_000n * BigInt(gb) * BigInt(nodes.length), timeAmount: 60_000n, quote: { items: { items: [], nodeShares: shares }, total: String(total) }, idempotencyKey: `demo:history:order:${i}`, actorId: r.userId, createdAt: at },
		})
		await prisma.$transaction((tx) => money(tx, { amount: -total, kind: 'charge', refType: 'order', refId: order.id, actorId: r.userId, idempotencyKey: `demo:history:order:${i}:charge`, at }))
		if (i % 9 === 4) {
			// refunded within the 10 days: the unused part of the traffic
			const refund = (35_000n * BigInt(gb) * BigInt(nodes.length)) / 2n
			const ro = await prisma.order.create({ data: { resellerId: r.id, customerId: customer.id, kind: 'refund', status: 'completed', amount: -refund, currency: 'IRR', quote: {}, idempotencyKey: `demo:history:refund:${i}`, actorId: r.userId, createdAt: new Date(at.getTime() + 2 * DAY) } })
			await prisma.customer.update({ where: { id: customer.id }, data: { status: 'refunded' } })
			await prisma.$transaction((tx) => money(tx, { amount: refund, kind: 'refund', refType: 'order', refId: ro.id, actorId: r.userId, idempotencyKey: `demo:history:refund:${i}:credit`, at: new Date(at.getTime() + 2 * DAY) }))
		} else if (i % 11 === 6 && nodes.length > 1) {
			// the second node never came up: its share went back
			await prisma.$transaction((tx) => money(tx, { amount: BigInt(shares[nodes[1]!]!), kind: 'reversal', refType: 'order', refId: order.id, note: `node ${nodes[1]} failed: demo`, idempotencyKey: `demo:history:reversal:${i}`, at: new Date(at.getTime() + 3_600_000) }))
		}
	}
}
