// The master subscription (rule 13). One query by token, links decrypted from the sub-accounts'
// cache — no panel is ever called while a VPN client waits. Served by a raw Express handler for
// clients (server/index.ts) and by a Remix page for browsers (routes/sub+/$token.tsx).
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { AccountLinks } from '~/services/panels/types'
import { renderClientBody } from '~/services/subscription/client-body'
import { chooseFormat, type ClientFormat, FORMATS } from '~/services/subscription/client-format'
import { CONTENT_TYPES, contentDisposition } from '~/services/subscription/headers'
import { open } from '~/utils/crypto.server'
import { env } from '~/utils/env.server'
import { getT } from '~/utils/i18n.server'

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

/** Every share link of every active sub-account; none while the customer is not active. */
export function activeLinks(s: Subscription) {
	return s.status === 'active' ? s.nodes.flatMap((n) => (n.links?.kind === 'links' ? n.links.links : [])) : []
}

/** The base64 list (the default body). */
export function clientBody(s: Subscription) {
	return renderClientBody(activeLinks(s), 'base64')
}

/**
 * Headers every format carries (Marzban app/routers/subscription.py `response_headers`): usage,
 * refresh interval, the profile name as `base64:` (how v2rayNG, Hiddify, Streisand and Clash Meta
 * read a non-ASCII title) and a file name for clients that save the body.
 */
export function clientHeaders(s: Subscription, format: ClientFormat = 'base64'): Record<string, string> {
	return {
		'content-type': CONTENT_TYPES[format],
		'subscription-userinfo': userInfoHeader(s),
		'profile-update-interval': '12',
		'profile-title': `base64:${Buffer.from(s.username).toString('base64')}`,
		'content-disposition': contentDisposition(s.username, format),
		'cache-control': 'no-store',
	}
}

/** The answer for a VPN client in the format it asked for (null format param = by User-Agent); null when `?format=` names no format. */
export function clientAnswer(s: Subscription, formatParam: string | null | undefined, userAgent: string | null | undefined, pageUrl?: string) {
	const format = chooseFormat(formatParam, userAgent)
	if (!format) return null
	const headers = clientHeaders(s, format)
	// Hiddify and v2rayNG offer a "web page" button for it (Marzban sends the same header).
	if (pageUrl) headers['profile-web-page-url'] = pageUrl
	return { format, headers, body: renderClientBody(activeLinks(s), format) }
}

/** The status page's address for `profile-web-page-url`: only from PUBLIC_URL, never from a Host header. */
export function pageUrlOf(token: string) {
	const base = env().PUBLIC_URL
	return base ? `${base}/sub/${encodeURIComponent(token)}` : undefined
}

/** The `format` query value: undefined when absent; a repeated or odd value becomes one no format matches. */
export function formatParamOf(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined
	return typeof value === 'string' ? value : '\u0000'
}

/** The 400 body for an unknown `?format=`, in the client's language (VPN clients send no cookie). */
export async function badFormatText(acceptLanguage: string | null | undefined) {
	const t = await getT(/^\s*fa\b/i.test(acceptLanguage ?? '') ? 'fa' : 'en')
	return t('subPage.badFormat', { formats: FORMATS.join(', ') })
}

/** Browsers (a person opening the link) get the status page; VPN clients get the list. */
export function wantsHtml(accept: string | null | undefined) {
	return Boolean(accept && accept.includes('text/html'))
}

export const newSubToken = () => randomBytes(24).toString('base64url')
