// Marzban 0.8.4 adapter (panel-contracts.md §1, §7). Quirks handled here: form login, `proxies`
// and `inbounds` always sent, `expire` in unix seconds, `next_plan` re-sent on every PUT (an
// omitted one is deleted), reset re-enabling disabled users, relative subscription URLs.
import { ACCOUNT_STATUSES, type AccountStatus, type NodeConnection, type PanelAdapter, type PanelOption, type RemoteAccount } from './types'
import { PanelError } from './errors'
import { ownerTagOf } from './owner-tag'
import { absoluteUrl, fastApiPanelInfo, bytesToJson, createPanelHttp, formTokenLogin, parsePanelDate, toBytes, toLimit } from './http.server'

interface MarzbanUser {
	username: string
	status: string
	used_traffic: number
	data_limit: number | null
	expire: number | null
	online_at: string | null
	links?: string[]
	subscription_url?: string
	next_plan?: Record<string, unknown> | null
	note?: string | null
}

interface MarzbanInbound {
	tag: string
	protocol: string
	network?: string
	tls?: string
	port?: number
}

export function createMarzbanAdapter(conn: NodeConnection): PanelAdapter {
	const http = createPanelHttp(conn, { auth: formTokenLogin('/api/admin/token', conn) })
	const userPath = (username: string) => `/api/user/${encodeURIComponent(username)}`

	const getUser = (username: string) => http.request<MarzbanUser>('GET', userPath(username))

	/** A PUT without next_plan deletes it, so every modify carries the current one along. */
	async function modify(username: string, body: Record<string, unknown>) {
		const current = await getUser(username)
		if (current.next_plan) body.next_plan = current.next_plan
		return http.request<MarzbanUser>('PUT', userPath(username), { json: body, idempotent: true })
	}

	/**
	 * `proxies: {}` is rejected and an omitted `inbounds` may exclude every inbound, so both are
	 * always sent: the configured protocols/tags, or every protocol the server has with `{}` = all.
	 */
	async function accessFields() {
		const chosen = conn.options.inbounds ?? {}
		if (Object.keys(chosen).length) {
			return { proxies: Object.fromEntries(Object.keys(chosen).map((p) => [p, {}])), inbounds: chosen }
		}
		const all = await http.request<Record<string, MarzbanInbound[]>>('GET', '/api/inbounds')
		const protocols = Object.entries(all ?? {}).filter(([, list]) => list.length).map(([p]) => p)
		if (!protocols.length) throw new PanelError('rejected', 'the panel has no inbounds')
		return { proxies: Object.fromEntries(protocols.map((p) => [p, {}])), inbounds: {} }
	}

	function toRemote(u: MarzbanUser): RemoteAccount {
		return {
			ref: { username: u.username },
			status: normaliseStatus(u.status),
			usedBytes: toBytes(u.used_traffic),
			dataLimit: toLimit(u.data_limit),
			expireAt: parsePanelDate(u.expire),
			onlineAt: parsePanelDate(u.online_at),
			ownerTag: ownerTagOf(u.note),
		}
	}

	return {
		kind: 'marzban',

		async testConnection() {
			const { admin, system, version, latencyMs } = await fastApiPanelInfo(http)
			return {
				version,
				latencyMs,
				details: {
					admin: String(admin?.username ?? ''),
					sudo: String(admin?.is_sudo ?? false),
					users: String(system.total_user ?? ''),
					activeUsers: String(system.users_active ?? ''),
				},
			}
		},

		async listOptions() {
			const all = await http.request<Record<string, MarzbanInbound[]>>('GET', '/api/inbounds')
			const out: PanelOption[] = []
			for (const [protocol, list] of Object.entries(all ?? {})) {
				for (const i of list) {
					out.push({
						id: i.tag,
						label: i.tag,
						type: 'inbound',
						meta: { protocol, network: String(i.network ?? ''), tls: String(i.tls ?? ''), port: String(i.port ?? '') },
					})
				}
			}
			return out
		},

		async createAccount(spec) {
			const body = {
				username: spec.username,
				...(await accessFields()),
				expire: spec.expireAt ? Math.floor(spec.expireAt.getTime() / 1000) : 0,
				data_limit: bytesToJson(spec.dataLimit),
				data_limit_reset_strategy: 'no_reset',
				status: 'active',
				note: spec.note ?? '',
			}
			return toRemote(await http.request<MarzbanUser>('POST', '/api/user', { json: body }))
		},

		async getAccount(ref) {
			return toRemote(await getUser(ref.username))
		},

		async listAccounts(cursor, pageSize = 500) {
			const offset = decodeOffset(cursor)
			const limit = Math.max(1, Math.min(pageSize, 1000))
			// Always page (an unpaged list 500s on big installs, Marzban #1890), and by a unique order:
			// on MySQL created_at is whole seconds and tied rows may come back in a different order for
			// each offset, which skips users. routers/user.py get_users takes a comma list of
			// crud.UsersSortingOptions; username is unique, so the pair is a total order.
			const reply = await http.request<{ users: MarzbanUser[]; total: number }>('GET', '/api/users', {
				query: { offset, limit, sort: LIST_ORDER },
			})
			if (!reply || !Array.isArray(reply.users)) throw new PanelError('bad_response', 'user list without users[]')
			const next = offset + reply.users.length
			return { accounts: reply.users.map(toRemote), nextCursor: reply.users.length && next < reply.total ? String(next) : null }
		},

		async updateAccount(ref, update) {
			const body: Record<string, unknown> = {}
			// 0 means "clear" (unlimited / never) on a Marzban PUT; null would mean "unchanged".
			if (update.dataLimit !== undefined) body.data_limit = bytesToJson(update.dataLimit)
			if (update.expireAt !== undefined) body.expire = update.expireAt ? Math.floor(update.expireAt.getTime() / 1000) : 0
			return toRemote(await modify(ref.username, body))
		},

		async enable(ref) {
			await modify(ref.username, { status: 'active' })
		},

		async disable(ref) {
			await modify(ref.username, { status: 'disabled' })
		},

		async resetUsage(ref) {
			const before = await getUser(ref.username)
			await http.request('POST', `${userPath(ref.username)}/reset`)
			// Marzban 0.8 flips a disabled user to active on reset; put it back.
			if (before.status === 'disabled') await modify(ref.username, { status: 'disabled' })
		},

		async deleteAccount(ref) {
			await http.request('DELETE', userPath(ref.username))
		},

		async getLinks(ref) {
			const u = await getUser(ref.username)
			return {
				kind: 'links',
				links: Array.isArray(u.links) ? u.links : [],
				subscriptionUrl: u.subscription_url ? absoluteUrl(u.subscription_url, conn) : null,
			}
		},

		async revokeSubscription(ref) {
			await http.request('POST', `${userPath(ref.username)}/revoke_sub`)
		},

		close: () => http.close(),
	}
}

function normaliseStatus(s: string): AccountStatus {
	// An unknown future status must not read as usable; the sync treats disabled conservatively.
	return (ACCOUNT_STATUSES as readonly string[]).includes(s) ? (s as AccountStatus) : 'disabled'
}

/** Marzban and PasarGuard page in this order (see listAccounts). */
export const LIST_ORDER = 'created_at,username'

/** The cursor is an offset in LIST_ORDER; anything else is a caller bug. */
export function decodeOffset(cursor: string | null) {
	if (cursor === null) return 0
	if (!/^\d+$/.test(cursor)) throw new PanelError('rejected', 'invalid list cursor')
	return Number(cursor)
}
