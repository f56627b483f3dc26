// PasarGuard 5.x adapter (panel-contracts.md §2, §7). Quirks handled here: API key or form login,
// `group_ids` always sent, numeric id kept in `ref.remoteId` for the `by-id` routes, create 201 /
// delete 204, ISO `expire` in replies, `next_plan` re-sent on PUT, `/sub/<token>/links` for links.
import { ACCOUNT_STATUSES, type AccountRef, type AccountStatus, type NodeConnection, type PanelAdapter, type RemoteAccount } from './types'
import { PanelError } from './errors'
import { absoluteUrl, fastApiPanelInfo, bytesToJson, createPanelHttp, formTokenLogin, parsePanelDate, toBytes, toLimit } from './http.server'
import { decodeOffset, LIST_ORDER } from './marzban.server'
import { ownerTagOf } from './owner-tag'

interface PasarGuardUser {
	id: number
	username: string
	status: string
	used_traffic: number
	data_limit: number | null
	expire: string | number | null
	online_at: string | null
	subscription_url?: string
	next_plan?: Record<string, unknown> | null
	note?: string | null
}

interface PasarGuardGroup {
	id: number
	name: string
	inbound_tags?: string[]
	is_disabled?: boolean
}

export function createPasarGuardAdapter(conn: NodeConnection): PanelAdapter {
	const http = createPanelHttp(conn, {
		auth: conn.apiKey ? { headers: { 'X-Api-Key': conn.apiKey } } : formTokenLogin('/api/admin/token', conn),
	})

	/** By id when we have it; a ref stored before the id was known is resolved by username once. */
	async function idOf(ref: AccountRef) {
		if (ref.remoteId) return ref.remoteId
		const u = await http.request<PasarGuardUser>('GET', `/api/user/by-username/${encodeURIComponent(ref.username)}`)
		return String(u.id)
	}
	const userPath = async (ref: AccountRef) => `/api/user/by-id/${encodeURIComponent(await idOf(ref))}`

	async function groups() {
		const reply = await http.request<{ groups: PasarGuardGroup[] }>('GET', '/api/groups')
		if (!reply || !Array.isArray(reply.groups)) throw new PanelError('bad_response', 'group list without groups[]')
		return reply.groups
	}

	/** group_ids is required and non-empty: the configured groups, else every enabled one. */
	async function groupIds() {
		if (conn.options.groupIds?.length) return conn.options.groupIds
		const ids = (await groups()).filter((g) => !g.is_disabled).map((g) => g.id)
		if (!ids.length) throw new PanelError('rejected', 'the panel has no enabled groups')
		return ids
	}

	function toRemote(u: PasarGuardUser): RemoteAccount {
		return {
			ref: { username: u.username, remoteId: String(u.id) },
			status: (ACCOUNT_STATUSES as readonly string[]).includes(u.status) ? (u.status as AccountStatus) : 'disabled',
			usedBytes: toBytes(u.used_traffic),
			dataLimit: toLimit(u.data_limit),
			expireAt: parsePanelDate(u.expire),
			onlineAt: parsePanelDate(u.online_at),
			ownerTag: ownerTagOf(u.note),
		}
	}

	return {
		kind: 'pasarguard',

		async testConnection() {
			const { admin, system, version, latencyMs } = await fastApiPanelInfo(http)
			return {
				version,
				latencyMs,
				details: {
					admin: String(admin?.username ?? ''),
					auth: conn.apiKey ? 'api_key' : 'token',
					users: String(system.total_user ?? ''),
					activeUsers: String(system.active_users ?? ''),
				},
			}
		},

		async listOptions() {
			return (await groups()).map((g) => ({
				id: String(g.id),
				label: g.name,
				type: 'group' as const,
				meta: { inbounds: (g.inbound_tags ?? []).join(', '), disabled: String(g.is_disabled ?? false) },
			}))
		},

		async createAccount(spec) {
			const body = {
				username: spec.username,
				group_ids: await groupIds(),
				expire: spec.expireAt ? spec.expireAt.toISOString() : 0,
				data_limit: bytesToJson(spec.dataLimit),
				data_limit_reset_strategy: 'no_reset',
				status: 'active',
				note: spec.note ?? '',
			}
			return toRemote(await http.request<PasarGuardUser>('POST', '/api/user', { json: body, expectStatus: [200, 201] }))
		},

		async getAccount(ref) {
			return toRemote(await http.request<PasarGuardUser>('GET', await userPath(ref)))
		},

		async listAccounts(cursor, pageSize = 500) {
			const offset = decodeOffset(cursor)
			const limit = Math.max(1, Math.min(pageSize, 1000))
			const reply = await http.request<{ users: PasarGuardUser[]; total: number }>('GET', '/api/users', {
				// A unique order, as for Marzban: UserListQuery.sort takes a comma list (models/user.py).
				query: { offset, limit, sort: LIST_ORDER },
			})
			if (!reply || !Array.isArray(reply.users)) throw new PanelError('bad_response', 'user list without users[]')
			const next = offset + reply.users.length
			return { accounts: reply.users.map(toRemote), nextCursor: reply.users.length && next < reply.total ? String(next) : null }
		},

		async updateAccount(ref, update) {
			const path = await userPath(ref)
			const current = await http.request<PasarGuardUser>('GET', path)
			const body: Record<string, unknown> = {}
			if (update.dataLimit !== undefined) body.data_limit = bytesToJson(update.dataLimit)
			if (update.expireAt !== undefined) body.expire = update.expireAt ? update.expireAt.toISOString() : 0
			// An omitted next_plan is deleted by the panel.
			if (current.next_plan) body.next_plan = current.next_plan
			return toRemote(await http.request<PasarGuardUser>('PUT', path, { json: body, idempotent: true }))
		},

		async enable(ref) {
			await http.request('PUT', `${await userPath(ref)}/disabled`, { json: { disabled: false }, idempotent: true })
		},

		async disable(ref) {
			await http.request('PUT', `${await userPath(ref)}/disabled`, { json: { disabled: true }, idempotent: true })
		},

		async resetUsage(ref) {
			await http.request('POST', `${await userPath(ref)}/reset`)
		},

		async deleteAccount(ref) {
			await http.request('DELETE', await userPath(ref), { expectStatus: [200, 204] })
		},

		async getLinks(ref) {
			const u = await http.request<PasarGuardUser>('GET', await userPath(ref))
			if (!u.subscription_url) return { kind: 'links', links: [], subscriptionUrl: null }
			// A relative URL is fetched from the panel's own address: the public one may not be reachable from here.
			const text = await http.request<string>('GET', `${u.subscription_url}/links`, { auth: false, responseType: 'text' })
			const subscriptionUrl = absoluteUrl(u.subscription_url, conn)
			return { kind: 'links', links: splitLinks(text), subscriptionUrl }
		},

		async revokeSubscription(ref) {
			await http.request('POST', `${await userPath(ref)}/revoke_sub`)
		},

		close: () => http.close(),
	}
}

export function splitLinks(text: string) {
	return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => /^[a-z0-9+.-]+:\/\//i.test(l))
}
