// Real rows for every dynamic segment of the route table (a node, a plan, a reseller, a customer
// with a WireGuard sub-account, a pending usage hold, a notification) and a session per role.
import { randomBytes } from 'node:crypto'
import { createSession } from '~/utils/auth.server'
import { seal } from '~/utils/crypto.server'
import { prisma } from '~/utils/db.server'
import { createReseller } from '../billing/fixtures'
import { createUser } from '../factories'
import { BASE } from '../helpers'

export const ROLES = ['anonymous', 'admin', 'reseller', 'customer'] as const
export type RoleName = (typeof ROLES)[number]

export async function seedWorld() {
	const admin = await createUser('admin')
	const customerUser = await createUser('customer')
	const node = await prisma.node.create({
		data: { name: 'Bad-input WG', kind: 'wgdashboard', baseUrl: 'http://127.0.0.1:9', secrets: seal(JSON.stringify({ apiKey: 'k' })), options: { wgEndpoint: 'vpn.example.com:51820' } },
	})
	const plan = await prisma.plan.create({ data: { name: 'Bad-input plan', days: 30, dataLimitBytes: 10n * 1024n ** 3n, publicPrice: 500n, resellerPrice: 300n, nodes: { create: [{ nodeId: node.id }] } } })
	const category = await prisma.planCategory.create({ data: { name: 'Bad-input category' } })
	const paymentMethod = await prisma.paymentMethod.create({ data: { kind: 'card', alias: 'Bad-input card', details: { number: '6037990000000006', holder: 'A', bank: 'Melli' } } })
	const { user: resellerUser, reseller } = await createReseller({ nodeIds: [node.id], funds: 10_000n })
	const customer = await prisma.customer.create({
		data: { resellerId: reseller.id, username: 'badinput1', dataLimitBytes: 10n * 1024n ** 3n, expireAt: new Date(Date.now() + 30 * 86_400_000), subToken: `tok_${randomBytes(16).toString('hex')}` },
	})
	const links = seal(JSON.stringify({ kind: 'wireguard', config: '[Interface]\nPrivateKey = x\n', fileName: 'badinput1.conf' }))
	const sub = await prisma.subAccount.create({ data: { customerId: customer.id, nodeId: node.id, remoteUsername: 'badinput1_g1', state: 'active', links } })
	await prisma.usageHold.create({ data: { subAccountId: sub.id, customerId: customer.id, nodeId: node.id, counterBefore: 0n, counterAfter: 10n, delta: 10n } })
	// A MikroTik router nobody answers for (issue 13): its pages must still answer 4xx, never 500.
	const router = await prisma.router.create({ data: { name: 'Bad-input router', transport: 'rest', baseUrl: 'http://127.0.0.1:9', tls: false, verifyTls: false, secrets: seal(JSON.stringify({ username: 'u', password: 'p' })), interfaces: ['wg-home'] } })
	const routerPeer = await prisma.routerPeer.create({ data: { routerId: router.id, interface: 'wg-home', publicKey: Buffer.alloc(32, 3).toString('base64'), name: 'bad-input-peer' } })
	// Receipts (issue 11): a reseller's payment with a stored receipt file, and an end user's payment.
	const resellerPayment = await prisma.payment.create({ data: { userId: resellerUser.id, resellerId: reseller.id, channel: 'card', status: 'submitted', amount: 1_000_000n, methodId: paymentMethod.id, expiresAt: new Date(Date.now() + 3_600_000) } })
	const receiptFile = await prisma.paymentFile.create({ data: { paymentId: resellerPayment.id, sha256: 'bad-input', mime: 'image/webp', size: 3, bytes: Buffer.from('abc') } })
	await prisma.payment.update({ where: { id: resellerPayment.id }, data: { receiptFileId: receiptFile.id } })
	const userPayment = await prisma.payment.create({ data: { userId: customerUser.id, channel: 'card', status: 'awaiting_transfer', amount: 1_000_000n, methodId: paymentMethod.id, expiresAt: new Date(Date.now() + 3_600_000) } })
	// Store billing (issue 12): the end user's store service on the plan, an issued invoice of his, a coupon.
	const storeService = await prisma.customer.create({
		data: { resellerId: null, userId: customerUser.id, planId: plan.id, username: 'badinputstore', dataLimitBytes: 10n * 1024n ** 3n, expireAt: new Date(Date.now() + 30 * 86_400_000), subToken: `tok_${randomBytes(16).toString('hex')}` },
	})
	const invoice = await prisma.invoice.create({
		data: { userId: customerUser.id, kind: 'new', planId: plan.id, subtotal: 500n, total: 500n, lines: { create: [{ position: 1, kind: 'plan', labelKey: 'invoices.line.plan', values: { plan: 'Bad-input plan', days: 30, gb: 10 }, unitAmount: 500n, amount: 500n }] } },
	})
	await prisma.invoice.update({ where: { id: invoice.id }, data: { status: 'open', series: 'GH', jalaliYear: 1405, seq: 999_999, number: 'GH-1405-999999', issuedAt: new Date(), dueAt: new Date(Date.now() + 86_400_000) } })
	const coupon = await prisma.coupon.create({ data: { code: 'BADINPUT', kind: 'percent', value: 1000n } })
	// Reports (issue 14): the reseller's export, finished without a file (a download answers 404, never 500).
	const reportExport = await prisma.reportExport.create({ data: { requestedBy: resellerUser.id, resellerId: reseller.id, kind: 'orders', status: 'done' } })
	await prisma.notification.create({ data: { audience: 'admin', kind: 'job_failing', dedupeKey: 'bad-input-admin' } })
	await prisma.notification.create({ data: { audience: 'reseller', resellerId: reseller.id, kind: 'pool_low', dedupeKey: 'bad-input-reseller' } })
	const users: Record<Exclude<RoleName, 'anonymous'>, number> = { admin: admin.id, reseller: resellerUser.id, customer: customerUser.id }
	return {
		node,
		router,
		routerPeer,
		plan,
		category,
		paymentMethod,
		resellerPayment,
		userPayment,
		receiptFile,
		reseller,
		customer,
		storeService,
		invoice,
		coupon,
		reportExport,
		/** A fresh session per call: /logout ends the one it is given. */
		async cookieOf(role: RoleName) {
			if (role === 'anonymous') return undefined
			return (await createSession(users[role], new Request(BASE))).split(';')[0]!
		},
	}
}
export type World = Awaited<ReturnType<typeof seedWorld>>

/** Params naming real rows, per URL pattern. A dynamic route missing here fails the sweep. */
export const PARAM_SAMPLES: Record<string, (w: World) => Record<string, string>> = {
	'admin/nodes/:id': (w) => ({ id: String(w.node.id) }),
	'admin/routers/:id': (w) => ({ id: String(w.router.id) }),
	'admin/routers/:id/import': (w) => ({ id: String(w.router.id) }),
	'admin/routers/:id/settings': (w) => ({ id: String(w.router.id) }),
	'admin/routers/:id/peers/:peerId': (w) => ({ id: String(w.router.id), peerId: String(w.routerPeer.id) }),
	'admin/plans/:id': (w) => ({ id: String(w.plan.id) }),
	'admin/invoices/:id': (w) => ({ id: String(w.invoice.id) }),
	'admin/invoices/:id/pdf': (w) => ({ id: String(w.invoice.id) }),
	'admin/coupons/:id': (w) => ({ id: String(w.coupon.id) }),
	'account/invoices/:id': (w) => ({ id: String(w.invoice.id) }),
	'account/invoices/:id/pdf': (w) => ({ id: String(w.invoice.id) }),
	'store/checkout/:planId': (w) => ({ planId: String(w.plan.id) }),
	'store/checkout/:op/:serviceId': (w) => ({ op: 'renew', serviceId: String(w.storeService.id) }),
	'admin/categories/:id': (w) => ({ id: String(w.category.id) }),
	'admin/payment-methods/:id': (w) => ({ id: String(w.paymentMethod.id) }),
	'admin/payments/:id': (w) => ({ id: String(w.resellerPayment.id) }),
	'reseller/wallet/top-up/:id': (w) => ({ id: String(w.resellerPayment.id) }),
	'account/wallet/:id': (w) => ({ id: String(w.userPayment.id) }),
	'resources/receipts/:id': (w) => ({ id: String(w.receiptFile.id) }),
	'admin/resellers/:id': (w) => ({ id: String(w.reseller.id) }),
	'admin/resellers/:id/ledger': (w) => ({ id: String(w.reseller.id) }),
	'admin/resellers/:id/statement': (w) => ({ id: String(w.reseller.id) }),
	'admin/resellers/:id/statement/xlsx': (w) => ({ id: String(w.reseller.id) }),
	'admin/resellers/:id/statement/pdf': (w) => ({ id: String(w.reseller.id) }),
	'admin/reports/:id/download': (w) => ({ id: String(w.reportExport.id) }),
	'reseller/reports/:id/download': (w) => ({ id: String(w.reportExport.id) }),
	'reseller/customers/:id': (w) => ({ id: String(w.customer.id) }),
	'reseller/customers/:id/wg/:nodeId': (w) => ({ id: String(w.customer.id), nodeId: String(w.node.id) }),
	'sub/:token': (w) => ({ token: w.customer.subToken }),
	'sub/:token/wg/:nodeId': (w) => ({ token: w.customer.subToken, nodeId: String(w.node.id) }),
	// No gateway is configured in the sweep's world: garbage meets the "unavailable" paths.
	'pay/return/:provider': () => ({ provider: 'zarinpal' }),
	'pay/ipn/:provider': () => ({ provider: 'nowpayments' }),
	'admin/*': () => ({ '*': 'no/such/page' }),
	'reseller/*': () => ({ '*': 'no/such/page' }),
	'account/*': () => ({ '*': 'no/such/page' }),
	'*': () => ({ '*': 'no/such/page' }),
}

/** The URL of a pattern with its params filled in. */
export function urlOf(pattern: string, params: Record<string, string>) {
	return `/${pattern
		.split('/')
		.map((s) => (s.startsWith(':') ? encodeURIComponent(params[s.slice(1)]!) : s === '*' ? params['*']! : s))
		.join('/')}`.replace(/\/$/, '') || '/'
}
