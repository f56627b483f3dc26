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
