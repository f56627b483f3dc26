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
	const paymentMethod = await prisma.paymentMethod.create({ data: { kind: 'card', alias: 'Bad-input card', details: { number: '6037990000000006', holder: 'A', bank: 'Melli' } } })
	const { user: resellerUser, reseller } = await createReseller({ nodeIds: [node.id], funds: 10_000n })
	const customer = await prisma.customer.create({
		data: { resellerId: reseller.id, username: 'badinput1', dataLimitBytes: 10n * 1024n ** 3n, expireAt: new Date(Date.now() + 30 * 86_400_000), subToken: `tok_${randomBytes(16).toString('hex')}` },
	})
	const links = seal(JSON.stringify({ kind: 'wireguard', config: '[Interface]\nPrivateKey = x\n', fileName: 'badinput1.conf' }))
	const sub = await prisma.subAccount.create({ data: { customerId: customer.id, nodeId: node.id, remoteUsername: 'badinput1_g1', state: 'active', links } })
	await prisma.usageHold.create({ data: { subAccountId: sub.id, customerId: customer.id, nodeId: node.id, counterBefore: 0n, counterAfter: 10n, delta: 10n } })
	await prisma.notification.create({ data: { audience: 'admin', kind: 'job_failing', dedupeKey: 'bad-input-admin' } })
	await prisma.notification.create({ data: { audience: 'reseller', resellerId: reseller.id, kind: 'pool_low', dedupeKey: 'bad-input-reseller' } })
	const users: Record<Exclude<RoleName, 'anonymous'>, number> = { admin: admin.id, reseller: resellerUser.id, customer: customerUser.id }
	return {
		node,
		plan,
		paymentMethod,
		reseller,
		customer,
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
	'admin/plans/:id': (w) => ({ id: String(w.plan.id) }),
	'admin/payment-methods/:id': (w) => ({ id: String(w.paymentMethod.id) }),
	'admin/resellers/:id': (w) => ({ id: String(w.reseller.id) }),
	'admin/resellers/:id/ledger': (w) => ({ id: String(w.reseller.id) }),
	'reseller/customers/:id': (w) => ({ id: String(w.customer.id) }),
	'reseller/customers/:id/wg/:nodeId': (w) => ({ id: String(w.customer.id), nodeId: String(w.node.id) }),
	'sub/:token': (w) => ({ token: w.customer.subToken }),
	'sub/:token/wg/:nodeId': (w) => ({ token: w.customer.subToken, nodeId: String(w.node.id) }),
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
