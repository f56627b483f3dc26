// Marzneshin adapter (panel-contracts.md §3, §7). Quirks handled here: plural `/api/admins/token`,
// lower-cased usernames, `service_ids` + `expire_strategy` with naive-UTC `expire_date`, PUT bodies
// carrying `username` and `usage_duration: null`, 409 on enable/disable meaning "already so",
// status derived from enabled/expired/data_limit_reached, page/size ≤ 100 listing in username order,
// and a non-sudo admin's 403 for a user that does not exist.
import type { AccountRef, AccountStatus, NodeConnection, PanelAdapter, RemoteAccount } from './types'
import { PanelError, isPanelError } from './errors'
import { absoluteUrl, bytesToJson, createPanelHttp, formTokenLogin, parsePanelDate, toBytes, toLimit } from './http.server'
import { ownerTagOf } from './owner-tag'
import { splitLinks } from './pasarguard.server'

interface MarzneshinUser {
	username: string
	expire_strategy: string
	expire_date: string | null
	enabled: boolean
	expired: boolean
	data_limit_reached: boolean
	used_traffic: number
	data_limit: number | null
	online_at: string | null
	subscription_url?: string
	note?: string | null
}

interface Page<T> {
	items: T[]
	total: number
	page: number
	size: number
	pages: number
}

const MAX_PAGE = 100
/** app/dependencies.py get_user's 403 detail. */
const NOT_ALLOWED = "You're not allowed"

export function createMarzneshinAdapter(conn: NodeConnection): PanelAdapter {
	const http = createPanelHttp(conn, { auth: formTokenLogin('/api/admins/token', conn) })
	// The panel stores usernames lower-cased and looks them up exactly.
	const name = (ref: AccountRef) => ref.username.toLowerCase()
	const userPath = (ref: AccountRef) => `/api/users/${encodeURIComponent(name(ref))}`
	const getUser = (ref: AccountRef) => userCall(ref, () => http.request<MarzneshinUser>('GET', userPath(ref)), true)

	/**
	 * app/dependencies.py get_user checks ownership before existence, so a non-sudo admin gets
	 * 403 "You're not allowed" for a user that does not exist (and for another admin's user). A
	 * 403 on a per-user route is probed with a GET: 403 there too means the user is not ours to
	 * see, which for an account we made means it is gone (not_found); a GET that works means the
	 * admin lacks a permission (modify_users_access), a real refusal.
	 */
	async function userCall<T>(ref: AccountRef, call: () => Promise<T>, isRead = false): Promise<T> {
		try {
			return await call()
		} catch (e) {
			// Only the panel's own words: a 403 from a proxy or WAF in front is not an answer about the user.
			if (!isPanelError(e, 'rejected') || e.status !== 403 || e.reason !== NOT_ALLOWED) throw e
			if (isRead) throw new PanelError('not_found', 'user not found (a non-sudo admin gets 403 for a missing user)', 403)
			await userCall(ref, () => http.request('GET', userPath(ref)), true)
			throw e
		}
	}

	/** Naive UTC, as the panel stores it; a zone suffix is accepted too but replies never carry one. */
	const naive = (d: Date) => d.toISOString().slice(0, 19)

	function expiryFields(expireAt: Date | null) {
		return expireAt
			? { expire_strategy: 'fixed_date', expire_date: naive(expireAt) }
			: { expire_strategy: 'never', expire_date: null }
	}

	async function allServices() {
		const out: Array<{ id: number; name: string; inbound_ids?: number[] }> = []
		for (let page = 1; ; page++) {
			const reply = await http.request<Page<{ id: number; name: string; inbound_ids?: number[] }>>('GET', '/api/services', { query: { page, size: MAX_PAGE } })
			if (!reply || !Array.isArray(reply.items)) throw new PanelError('bad_response', 'service list without items[]')
			out.push(...reply.items)
			if (page >= reply.pages || !reply.items.length) return out
		}
	}

	function toRemote(u: MarzneshinUser): RemoteAccount {
		let status: AccountStatus = 'active'
		if (!u.enabled) status = 'disabled'
		else if (u.expired) status = 'expired'
		else if (u.data_limit_reached) status = 'limited'
		else if (u.expire_strategy === 'start_on_first_use') status = 'on_hold'
		return {
			ref: { username: u.username },
			status,
			usedBytes: toBytes(u.used_traffic),
			dataLimit: toLimit(u.data_limit),
			expireAt: parsePanelDate(u.expire_date),
			onlineAt: parsePanelDate(u.online_at),
			ownerTag: ownerTagOf(u.note),
		}
	}

	/** 409 means the user already is in the wanted state. */
	async function toggle(ref: AccountRef, action: 'enable' | 'disable') {
		try {
			await userCall(ref, () => http.request('POST', `${userPath(ref)}/${action}`))
		} catch (e) {
			if (!isPanelError(e, 'conflict')) throw e
		}
	}

	/** "xray 1.8.24" from the panel's nodes (distinct backend versions), or unknown. */
	async function coreVersions() {
		const page = await http.request<Page<{ backends?: Array<{ backend_type?: string; version?: string | null }> }>>('GET', '/api/nodes', { query: { page: 1, size: 50 } })
		const seen = new Set<string>()
		for (const n of page?.items ?? []) for (const b of n.backends ?? []) if (b.version) seen.add(`${b.backend_type ?? 'core'} ${b.version}`)
		return seen.size ? [...seen].sort().join(', ') : 'unknown'
	}

	return {
		kind: 'marzneshin',

		async testConnection() {
			http.clearAuth()
			const admin = await http.request<{ username?: string; is_sudo?: boolean }>('GET', '/api/admins/current')
			const started = performance.now()
			const stats = await http.request<Record<string, unknown>>('GET', '/api/system/stats/users')
			const latencyMs = Math.round(performance.now() - started)
			return {
				// The app's own __version__ (app/__init__.py, also OpenAPI's info.version) is a stale
				// "0.1.0"; what it does report truly is each node's core version (GET /api/nodes,
				// app/models/node.py Backend.version). Non-sudo admins may not list nodes: unknown then.
				version: await coreVersions().catch(() => 'unknown'),
				latencyMs,
				details: {
					admin: String(admin?.username ?? ''),
					sudo: String(admin?.is_sudo ?? false),
					users: String(stats?.total ?? ''),
					activeUsers: String(stats?.active ?? ''),
				},
			}
		},

		async listOptions() {
			return (await allServices()).map((s) => ({
				id: String(s.id),
				label: s.name,
				type: 'service' as const,
				meta: { inbounds: String(s.inbound_ids?.length ?? 0) },
			}))
		},

		async createAccount(spec) {
			const serviceIds = conn.options.serviceIds?.length ? conn.options.serviceIds : (await allServices()).map((s) => s.id)
			const body = {
				username: spec.username,
				service_ids: serviceIds,
				...expiryFields(spec.expireAt),
				usage_duration: null,
				data_limit: bytesToJson(spec.dataLimit),
				data_limit_reset_strategy: 'no_reset',
				note: spec.note ?? '',
			}
			return toRemote(await http.request<MarzneshinUser>('POST', '/api/users', { json: body }))
		},

		async getAccount(ref) {
			return toRemote(await getUser(ref))
		},

		async listAccounts(cursor, pageSize = MAX_PAGE) {
			const { page, size } = decodePageCursor(cursor, Math.max(1, Math.min(pageSize, MAX_PAGE)))
			// One order_by column only (routes/user.py get_users): username, unique, so pages do not
			// overlap or skip the way whole-second created_at ties do on MySQL.
			const reply = await http.request<Page<MarzneshinUser>>('GET', '/api/users', { query: { page, size, order_by: 'username' } })
			if (!reply || !Array.isArray(reply.items)) throw new PanelError('bad_response', 'user list without items[]')
			const more = page < reply.pages && reply.items.length > 0
			return { accounts: reply.items.map(toRemote), nextCursor: more ? `${page + 1}:${size}` : null }
		},

		async updateAccount(ref, update) {
			// `username` is required by UserModify; `usage_duration: null` dodges a master-branch default bug.
			const body: Record<string, unknown> = { username: name(ref), usage_duration: null }
			if (update.dataLimit !== undefined) body.data_limit = bytesToJson(update.dataLimit)
			if (update.expireAt !== undefined) Object.assign(body, expiryFields(update.expireAt))
			return toRemote(await userCall(ref, () => http.request<MarzneshinUser>('PUT', userPath(ref), { json: body, idempotent: true })))
		},

		enable: (ref) => toggle(ref, 'enable'),
		disable: (ref) => toggle(ref, 'disable'),

		async resetUsage(ref) {
			await userCall(ref, () => http.request('POST', `${userPath(ref)}/reset`))
		},

		async deleteAccount(ref) {
			await userCall(ref, () => http.request('DELETE', userPath(ref)))
		},

		async getLinks(ref) {
			const u = await getUser(ref)
			if (!u.subscription_url) return { kind: 'links', links: [], subscriptionUrl: null }
			const text = await http.request<string>('GET', `${u.subscription_url}/links`, { auth: false, responseType: 'text' })
			return { kind: 'links', links: splitLinks(text), subscriptionUrl: absoluteUrl(u.subscription_url, conn) }
		},

		async revokeSubscription(ref) {
			await userCall(ref, () => http.request('POST', `${userPath(ref)}/revoke_sub`))
		},

		close: () => http.close(),
	}
}

/** Cursor "<page>:<size>" keeps the page size fixed across a walk even if the caller's hint changes. */
function decodePageCursor(cursor: string | null, size: number) {
	if (cursor === null) return { page: 1, size }
	const m = /^(\d+):(\d+)$/.exec(cursor)
	if (!m) throw new PanelError('rejected', 'invalid list cursor')
	return { page: Number(m[1]), size: Number(m[2]) }
}
