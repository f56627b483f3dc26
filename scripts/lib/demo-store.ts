// The demo's store history (`npm run demo` only, not the e2e server): a coupon, and end users with
// paid, open and void invoices spread over the last few Jalali months, so the account pages, the
// admin's invoice and order lists and the PDFs have content. Everything goes through the real
// services (checkout → issue → wallet payment → activation; void), dated in the past where it
// happened in the past, so numbers, ledger legs and services are what the app itself would make.
// Created once: a second run finds the first demo end user and stops.
import type { PrismaClient } from '~/generated/prisma/client'

const DAY = 86_400_000
export const DEMO_COUPON = 'DEMO10'

export async function seedDemoStoreHistory(prisma: PrismaClient) {
	if (await prisma.user.findUnique({ where: { username: 'sara' }, select: { id: true } })) return
	const { hashPassword } = await import('~/utils/password.server')
	const { moveWalletMoney } = await import('~/services/billing/ledger.server')
	const { createDraft, issueInvoice } = await import('~/services/invoices/checkout.server')
	const { payWithWallet } = await import('~/services/invoices/pay-wallet.server')
	const { voidInvoice } = await import('~/services/invoices/void.server')
	const { DEMO_PASSWORD } = await import('../../prisma/seed')

	const plan = async (name: string) => (await prisma.plan.findFirst({ where: { name }, select: { id: true } }))?.id
	const [bronze, silver, gold, wireguard] = await Promise.all([plan('برنزی'), plan('نقره‌ای'), plan('طلایی سه‌ماهه'), plan('وایرگارد ۲۰ گیگ')])
	if (!bronze || !silver || !gold || !wireguard) return
	const now = Date.now()
	const ago = (days: number) => new Date(now - days * DAY)

	// 10 % off, once per user, valid from four months ago for two more months.
	if (!(await prisma.coupon.findUnique({ where: { code: DEMO_COUPON } }))) {
		await prisma.coupon.create({ data: { code: DEMO_COUPON, kind: 'percent', value: 1000n, maxUses: 100, maxUsesPerUser: 1, validFrom: ago(120), validTo: new Date(now + 60 * DAY) } })
	}

	const passwordHash = await hashPassword(DEMO_PASSWORD)
	const endUser = async (username: string, displayName: string, fundsToman: number) => {
		const u = await prisma.user.upsert({ where: { username }, create: { username, role: 'customer', displayName, billingName: displayName, locale: 'fa', passwordHash }, update: {} })
		await prisma.$transaction((tx) => moveWalletMoney(tx, { wallet: { userId: u.id }, amount: BigInt(fundsToman) * 10n, counter: 'cash:manual', kind: 'top_up', note: 'demo', idempotencyKey: `demo:store:fund:${u.id}` }))
		return u.id
	}
	let n = 0
	/** One checkout at `at`: issued, then paid from the wallet (`pay`), voided, or left open. */
	const order = async (userId: number, planId: number, at: Date, fate: 'paid' | 'void' | 'open', extra: { mode?: 'new' | 'renew' | 'change'; customerId?: number; coupon?: string } = {}) => {
		const id = await createDraft({ userId, planId, mode: extra.mode ?? 'new', customerId: extra.customerId, couponCode: extra.coupon ?? null, formKey: `demo-store-${++n}-${userId}` }, at)
		await issueInvoice(userId, id, at)
		if (fate === 'paid') await payWithWallet(userId, id, new Date(at.getTime() + 20 * 60_000))
		if (fate === 'void') await voidInvoice(id, userId, new Date(at.getTime() + 3 * 3_600_000))
		return (await prisma.invoice.findUniqueOrThrow({ where: { id }, select: { customerId: true } })).customerId ?? undefined
	}

	// In date order, so the gapless numbers grow with the dates.
	const sara = await endUser('sara', 'سارا احمدی', 2_000_000)
	const reza = await endUser('reza', 'رضا کریمی', 1_500_000)
	const customer = (await prisma.user.findUnique({ where: { username: 'customer' }, select: { id: true } }))?.id
	if (customer) await prisma.$transaction((tx) => moveWalletMoney(tx, { wallet: { userId: customer }, amount: 1_000_000n * 10n, counter: 'cash:manual', kind: 'top_up', note: 'demo', idempotencyKey: `demo:store:fund:${customer}` }))

	const saraSilver = await order(sara, silver, ago(95), 'paid')
	await order(sara, wireguard, ago(70), 'void')
	await order(sara, wireguard, ago(65), 'paid')
	await order(sara, silver, ago(64), 'paid', { mode: 'renew', customerId: saraSilver })
	const bronzeService = customer ? await order(customer, bronze, ago(40), 'paid') : undefined
	if (customer) await order(customer, gold, ago(38), 'void', { mode: 'change', customerId: bronzeService })
	await order(reza, gold, ago(20), 'paid', { coupon: DEMO_COUPON })
	if (customer) await order(customer, bronze, ago(10), 'paid', { mode: 'renew', customerId: bronzeService })
	// open now, waiting to be paid (by wallet, card receipt or online): an upgrade and a new service
	if (customer) await order(customer, silver, new Date(now), 'open', { mode: 'change', customerId: bronzeService })
	await order(reza, wireguard, new Date(now + 1000), 'open')
}
