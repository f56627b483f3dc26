// The master subscription (rule 13). One query by token, links decrypted from the sub-accounts'
// cache — no panel is ever called while a VPN client waits. Served by a raw Express handler for
// clients (server/index.ts) and by a Remix page for browsers (routes/sub+/$token.tsx).
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { AccountLinks } from '~/services/panels/types'
import { open } from '~/utils/crypto.server'
import { env } from '~/utils/env.server'

export interface Subscription {
	customerId: number
	username: string
	status: string
	usedBytes: bigint
	dataLimitBytes: bigint
	expireAt: Date
	nodes: Array<{ nodeId: number; nodeName: string; links: AccountLinks | null }>
}

let pool: pg.Pool | undefined
// A small pool of its own: this path must not queue behind Prisma's transactions.
function db() {
	if (!pool) {
		pool = new pg.Pool({ connectionString: env().DATABASE_URL, max: 6 })
		// An idle connection dropped by the server (restart, failover) must not crash the process.
		pool.on('error', (e) => console.error('subscription pool:', e.message))
	}
	return pool
}

export async function closeSubscriptionPool() {
	await pool?.end()
	pool = undefined
}

const TOKEN = /^[A-Za-z0-9_-]{20,64}$/

export async function loadSubscription(token: string): Promise<Subscription | null> {
	if (!TOKEN.test(token)) return null
	// A named (prepared) statement: parsed and planned once per connection.
	const { rows } = await db().query({
		name: 'sub_lookup',
		text: `select c.id, c.username, c.status, c.used_bytes, c.data_limit_bytes, c.expire_at, s.node_id, s.links, n.name as node_name
		from customers c
		left join sub_accounts s on s.customer_id = c.id and s.state = 'active'
		left join nodes n on n.id = s.node_id and n.deleted_at is null
		where c.sub_token = $1 and c.status not in ('deleted', 'refunded')`,
		values: [token],
	})
	if (!rows.length) return null
	const c = rows[0]
	return {
		customerId: c.id,
		username: c.username,
		status: c.status,
		usedBytes: BigInt(c.used_bytes),
		dataLimitBytes: BigInt(c.data_limit_bytes),
		expireAt: c.expire_at,
		nodes: rows.filter((r) => r.node_id && r.node_name).map((r) => ({ nodeId: r.node_id, nodeName: r.node_name, links: r.links ? (JSON.parse(open(r.links)) as AccountLinks) : null })),
	}
}

export function userInfoHeader(s: Subscription) {
	return `upload=0; download=${s.usedBytes}; total=${s.dataLimitBytes}; expire=${Math.floor(s.expireAt.getTime() / 1000)}`
}

/** The client body: every share link of every active sub-account, base64 of one per line. */
export function clientBody(s: Subscription) {
	const links = s.status === 'active' ? s.nodes.flatMap((n) => (n.links?.kind === 'links' ? n.links.links : [])) : []
	return Buffer.from(links.join('\n')).toString('base64')
}

export function clientHeaders(s: Subscription): Record<string, string> {
	return {
		'content-type': 'text/plain; charset=utf-8',
		'subscription-userinfo': userInfoHeader(s),
		'profile-update-interval': '12',
		'profile-title': `base64:${Buffer.from(s.username).toString('base64')}`,
		'cache-control': 'no-store',
	}
}

/** Browsers (a person opening the link) get the status page; VPN clients get the list. */
export function wantsHtml(accept: string | null | undefined) {
	return Boolean(accept && accept.includes('text/html'))
}

export const newSubToken = () => randomBytes(24).toString('base64url')
