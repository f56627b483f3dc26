// PasarGuard v5.2.1 simulator: the routes, shapes, units and quirks of panel-contracts.md §2.
import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import { detail, json, OrderedStore, Router, SimControl, startHttpSim, TokenStore, type SimRequest, type SimResponse } from './base'
import {
	awareIso, DEFAULT_INBOUNDS, guard, Invalid, objectBody, optEnum, optInt, optString, parseIso, PROTOCOLS,
	proxyCredentials, RESET_STRATEGIES, shareLink, sortRecords, unprocessable, userInfoHeader, type Protocol, type SimInbound,
} from './xray-common'

type Status = 'active' | 'disabled' | 'limited' | 'expired' | 'on_hold'

export interface PasarGuardGroup {
	id: number
	name: string
	inbound_tags: string[]
	is_disabled: boolean
}

export interface PasarGuardUser {
	id: number
	username: string
	status: Status
	used: number
	resetTotal: number
	createdAt: number
	editAt: number | null
	/** Unix ms, null = never. */
	expire: number | null
	dataLimit: number | null
	resetStrategy: string
	proxySettings: Record<Protocol, Record<string, string>>
	groupIds: number[]
	note: string | null
	onlineAt: number | null
	onHoldExpireDuration: number | null
	nextPlan: Record<string, unknown> | null
	subSalt: string
}

export interface PasarGuardSimOptions {
	port?: number
	admins?: Record<string, string>
	/** Valid `pg_key_<uuid>` API keys; one is generated when omitted (see `state.apiKeys`). */
	apiKeys?: string[]
	inbounds?: SimInbound[]
	groups?: PasarGuardGroup[]
	tokenLifetimeSeconds?: number
	/** MySQL-like list order: created_at in whole seconds, ties shuffled per request (xray-common TieOrder). */
	mysqlTies?: { seed: number }
}

const SORT_KEYS: Record<string, (u: PasarGuardUser) => number | string> = {
	username: (u) => u.username.toLowerCase(),
	used_traffic: (u) => u.used,
	data_limit: (u) => u.dataLimit ?? 0,
	expire: (u) => u.expire ?? 0,
	created_at: (u) => u.createdAt,
	edit_at: (u) => u.editAt ?? 0,
	online_at: (u) => u.onlineAt ?? 0,
}

export async function startPasarGuardSim(opts: PasarGuardSimOptions = {}) {
	const admins = opts.admins ?? { admin: 'admin' }
	const apiKeys = new Set(opts.apiKeys ?? [`pg_key_${randomUUID()}`])
	const inbounds = opts.inbounds ?? DEFAULT_INBOUNDS
	const groups = opts.groups ?? [
		{ id: 1, name: 'All inbounds', inbound_tags: inbounds.map((i) => i.tag), is_disabled: false },
		{ id: 2, name: 'VLESS only', inbound_tags: inbounds.filter((i) => i.protocol === 'vless').map((i) => i.tag), is_disabled: false },
	]
	const tokens = new TokenStore(opts.tokenLifetimeSeconds)
	// Unlike Marzban, usernames are case-sensitive: app/db/models.py User.username is
	// CaseSensitiveString(128), compiled to utf8mb4_bin / COLLATE "C" (app/db/compiles_types.py).
	const users = new OrderedStore<PasarGuardUser>()
	let listRequests = 0
	const byId = new Map<number, PasarGuardUser>()
	let nextId = 1
	const subSecret = randomBytes(16).toString('hex')

	function refresh(u: PasarGuardUser) {
		if (u.status !== 'active') return u
		if (u.dataLimit && u.used >= u.dataLimit) u.status = 'limited'
		else if (u.expire && u.expire <= Date.now()) u.status = 'expired'
		return u
	}

	/** What enabling (or `status: active`) recomputes to. */
	function computedStatus(u: PasarGuardUser): Status {
		if (u.expire && u.expire <= Date.now()) return 'expired'
		if (u.dataLimit && u.used >= u.dataLimit) return 'limited'
		if (u.onHoldExpireDuration) return 'on_hold'
		return 'active'
	}

	const sign = (payload: string, u: PasarGuardUser) => createHmac('sha256', subSecret).update(payload + u.subSalt).digest('base64url')
	function subToken(u: PasarGuardUser) {
		const payload = Buffer.from(`v3,${u.id},${Math.floor(Date.now() / 1000)}`).toString('base64url')
		return `${payload}.${sign(payload, u)}`
	}
	function userFromToken(token: string) {
		const [payload, sig] = token.split('.')
		const parts = Buffer.from(payload ?? '', 'base64url').toString().split(',')
		const u = parts[0] === 'v3' ? byId.get(Number(parts[1])) : undefined
		return u && sig === sign(payload, u) ? refresh(u) : null
	}

	function links(u: PasarGuardUser) {
		const tags = new Set(u.groupIds.flatMap((id) => groups.find((g) => g.id === id && !g.is_disabled)?.inbound_tags ?? []))
		return inbounds.filter((i) => tags.has(i.tag)).map((i) => shareLink(i, u.proxySettings[i.protocol], u.username))
	}

	function toResponse(u: PasarGuardUser, withSub = true) {
		refresh(u)
		return {
			id: u.id,
			username: u.username,
			status: u.status,
			used_traffic: u.used,
			lifetime_used_traffic: u.resetTotal + u.used,
			created_at: awareIso(u.createdAt),
			edit_at: awareIso(u.editAt),
			online_at: awareIso(u.onlineAt),
			expire: awareIso(u.expire),
			data_limit: u.dataLimit,
			data_limit_reset_strategy: u.resetStrategy,
			proxy_settings: u.proxySettings,
			group_ids: u.groupIds,
			note: u.note,
			on_hold_expire_duration: u.onHoldExpireDuration,
			on_hold_timeout: null,
			auto_delete_in_days: null,
			hwid_limit: null,
			next_plan: u.nextPlan,
			subscription_url: withSub ? `/sub/${subToken(u)}` : '',
			admin: { id: 1, username: Object.keys(admins)[0] },
		}
	}

	/** `expire`: ISO datetime (naive = UTC) or int unix seconds; 0 = never. */
	function parseExpire(b: Record<string, unknown>): number | null | undefined {
		const v = b.expire
		if (v === undefined || v === null) return v as null | undefined
		if (typeof v === 'number') {
			if (!Number.isInteger(v) || v < 0) throw new Invalid('expire', 'Input should be a valid datetime')
			return v === 0 ? 0 : v * 1000
		}
		return parseIso('expire', v)
	}

	function parseGroupIds(b: Record<string, unknown>, required: boolean): number[] | undefined {
		const v = b.group_ids
		if (v === undefined || v === null) {
			if (required) throw new Invalid('group_ids', 'you must select at least one group')
			return undefined
		}
		if (!Array.isArray(v) || v.some((x) => !Number.isInteger(x))) throw new Invalid('group_ids', 'Input should be a valid list of integers')
		if (required && !v.length) throw new Invalid('group_ids', 'you must select at least one group')
		return v as number[]
	}

	function createUser(b: Record<string, unknown>): SimResponse {
		const username = b.username
		if (typeof username !== 'string') throw new Invalid('username', 'Field required')
		validateUsername(username)
		const groupIds = parseGroupIds(b, true) as number[]
		const expire = parseExpire(b)
		const dataLimit = optInt(b, 'data_limit')
		const strategy = optEnum(b, 'data_limit_reset_strategy', RESET_STRATEGIES) ?? 'no_reset'
		const status = (optEnum(b, 'status', ['active', 'on_hold']) ?? 'active') as Status
		const note = optString(b, 'note')
		const onHoldDuration = optInt(b, 'on_hold_expire_duration')
		if (status === 'on_hold' && !onHoldDuration) throw new Invalid('on_hold_expire_duration', 'User cannot be on hold without a valid on_hold_expire_duration.')
		for (const id of groupIds) if (!groups.some((g) => g.id === id)) return detail(404, 'Group not found')
		if (users.has(username)) return detail(409, 'User already exists')
		const proxySettings = Object.fromEntries(PROTOCOLS.map((p) => [p, proxyCredentials(p)])) as PasarGuardUser['proxySettings']
		const u: PasarGuardUser = {
			id: nextId++, username, status, used: 0, resetTotal: 0, createdAt: opts.mysqlTies ? Math.floor(Date.now() / 1000) * 1000 : Date.now(), editAt: null, expire: expire || null,
			dataLimit: dataLimit || null, resetStrategy: strategy, proxySettings, groupIds, note: note ?? null, onlineAt: null,
			onHoldExpireDuration: onHoldDuration ?? null, nextPlan: (b.next_plan as Record<string, unknown>) ?? null,
			subSalt: randomBytes(6).toString('hex'),
		}
		users.insert(username, u)
		byId.set(u.id, u)
		return json(201, toResponse(u))
	}

	function modifyUser(u: PasarGuardUser, b: Record<string, unknown>): SimResponse {
		const status = optEnum(b, 'status', ['active', 'disabled', 'on_hold']) as Status | null | undefined
		const expire = parseExpire(b)
		const dataLimit = optInt(b, 'data_limit')
		const strategy = optEnum(b, 'data_limit_reset_strategy', RESET_STRATEGIES)
		const note = optString(b, 'note')
		const groupIds = parseGroupIds(b, false)
		if (groupIds) for (const id of groupIds) if (!groups.some((g) => g.id === id)) return detail(404, 'Group not found')
		// (unverified upstream) an empty list is assigned as-is rather than meaning "no change".
		if (groupIds) u.groupIds = groupIds
		if (status === 'disabled') u.status = 'disabled'
		else if (status === 'on_hold') {
			u.status = 'on_hold'
			u.expire = null
		} else if (status === 'active') u.status = computedStatus(u)
		if (dataLimit !== undefined && dataLimit !== null) {
			u.dataLimit = dataLimit || null
			if (u.status === 'active' || u.status === 'limited') u.status = u.dataLimit && u.used >= u.dataLimit ? 'limited' : 'active'
		}
		if (expire !== undefined && expire !== null) {
			u.expire = expire || null
			if (u.status === 'active' || u.status === 'expired') u.status = u.expire && u.expire <= Date.now() ? 'expired' : 'active'
		}
		if (strategy) u.resetStrategy = strategy
		if (note !== undefined && note !== null) u.note = note
		u.nextPlan = (b.next_plan as Record<string, unknown> | null | undefined) ?? null
		u.editAt = Date.now()
		return json(200, toResponse(u))
	}

	function addTraffic(bytes: number | Record<string, number>) {
		const add = (u: PasarGuardUser, n: number) => {
			if (u.status !== 'active' && u.status !== 'on_hold') return
			u.used += n
			u.onlineAt = Date.now()
			refresh(u)
		}
		if (typeof bytes === 'number') for (const u of users.values()) add(u, bytes)
		else for (const [name, n] of Object.entries(bytes)) { const u = users.get(name); if (u) add(u, n) }
	}

	let seeded = 0
	function seed(n: number, prefix: string) {
		for (let i = 0; i < n; i++) createUser({ username: `${prefix}_${++seeded}`, group_ids: [groups[0].id], status: 'active' })
	}

	const control = new SimControl({ expireTokens: () => tokens.expireAll(), reboot: () => tokens.expireAll(), addTraffic, seed })
	const router = new Router()
	function authed(req: SimRequest) {
		const key = req.headers['x-api-key'] ?? (req.headers.authorization?.startsWith('ApiKey ') ? req.headers.authorization.slice(7) : undefined)
		if (typeof key === 'string') return apiKeys.has(key)
		return tokens.fromRequest(req) !== null
	}
	const auth = (handler: (req: SimRequest) => SimResponse) => (req: SimRequest): SimResponse =>
		authed(req) ? guard(() => handler(req)) : detail(401, 'Could not validate credentials')
	const withUser = (fn: (u: PasarGuardUser, req: SimRequest) => SimResponse) => auth((req) => {
		if (!/^\d+$/.test(req.params.id)) return unprocessable('user_id', 'Input should be a valid integer, unable to parse string as an integer')
		const u = byId.get(Number(req.params.id))
		return u ? fn(refresh(u), req) : detail(404, 'User not found')
	})

	router.add('POST', '/api/admin/token', (req) => {
		if (!req.form?.username || req.form.password === undefined) return unprocessable(req.form ? 'password' : 'username', 'Field required')
		if (admins[req.form.username] !== req.form.password) return detail(401, 'Incorrect username or password')
		return json(200, { access_token: tokens.issue(req.form.username, { access: 'admin', aid: 1 }), token_type: 'bearer' })
	})
	router.add('GET', '/api/admin', auth(() => json(200, { id: 1, username: Object.keys(admins)[0], is_sudo: true, is_disabled: false, total_users: users.size })))
	router.add('GET', '/api/system', auth(() => json(200, {
		version: '5.2.1', mem_total: 8_000_000_000, mem_used: 2_000_000_000, cpu_cores: 4, cpu_usage: 2.1,
		total_user: users.size, online_users: 0, active_users: users.values().filter((u) => refresh(u).status === 'active').length,
		incoming_bandwidth: 0, outgoing_bandwidth: 0,
	})))
	router.add('GET', '/api/inbounds', auth(() => json(200, inbounds.map((i) => i.tag))))
	router.add('GET', '/api/groups', auth(() => json(200, {
		groups: groups.map((g) => ({ ...g, total_users: users.values().filter((u) => u.groupIds.includes(g.id)).length })),
		total: groups.length,
	})))
	router.add('POST', '/api/user', auth((req) => createUser(objectBody(req.json))))
	router.add('GET', '/api/user/by-id/:id', withUser((u) => json(200, toResponse(u))))
	router.add('PUT', '/api/user/by-id/:id', withUser((u, req) => modifyUser(u, objectBody(req.json))))
	router.add('DELETE', '/api/user/by-id/:id', withUser((u) => {
		users.delete(u.username)
		byId.delete(u.id)
		return { status: 204 }
	}))
	router.add('PUT', '/api/user/by-id/:id/disabled', withUser((u, req) => {
		const disabled = objectBody(req.json).disabled
		if (typeof disabled !== 'boolean') return unprocessable('disabled', 'Input should be a valid boolean')
		u.status = disabled ? 'disabled' : computedStatus(u)
		u.editAt = Date.now()
		return json(200, toResponse(u))
	}))
	router.add('POST', '/api/user/by-id/:id/reset', withUser((u) => {
		u.resetTotal += u.used
		u.used = 0
		if (u.status === 'limited') u.status = 'active'
		u.nextPlan = null
		return json(200, toResponse(u))
	}))
	router.add('POST', '/api/user/by-id/:id/revoke_sub', withUser((u) => {
		u.subSalt = randomBytes(6).toString('hex')
		u.proxySettings = Object.fromEntries(PROTOCOLS.map((p) => [p, proxyCredentials(p)])) as PasarGuardUser['proxySettings']
		return json(200, toResponse(u))
	}))
	const byName = auth((req) => {
		const u = users.get(req.params.username)
		return u ? json(200, toResponse(u)) : detail(404, 'User not found')
	})
	router.add('GET', '/api/user/by-username/:username', byName)
	// Deprecated username form ("will be removed in v6.0.0"); kept read-only here.
	router.add('GET', '/api/user/:username', byName)
	router.add('GET', '/api/users', auth((req) => {
		const q = req.query
		const offset = Number(q.get('offset') ?? 0)
		const limit = q.get('limit') === null ? null : Number(q.get('limit'))
		if (!Number.isInteger(offset) || offset < 0) return unprocessable('offset', 'Input should be a valid integer')
		if (limit !== null && (!Number.isInteger(limit) || limit < 0)) return unprocessable('limit', 'Input should be a valid integer')
		// (not `onList?.(++n)`: an absent hook would skip the increment too)
		const n = ++listRequests
		state.onList?.(n)
		const ties = opts.mysqlTies ? { seed: opts.mysqlTies.seed, salt: n } : undefined
		let list = sortRecords(users.values(), q.get('sort'), SORT_KEYS, ties)
		if (!list) return detail(400, `"${q.get('sort')}" is not a valid sort option`)
		const names = [...q.getAll('username'), ...q.getAll('usernames')]
		const search = q.get('search')?.toLowerCase()
		const statuses = q.getAll('status')
		if (names.length || search || statuses.length) {
			list = list.filter((u) =>
				(!names.length || names.includes(u.username)) &&
				(!search || u.username.toLowerCase().includes(search) || (u.note ?? '').toLowerCase().includes(search)) &&
				(!statuses.length || statuses.includes(refresh(u).status)))
		}
		const loadSub = q.get('load_sub') === 'true'
		const page = limit === null ? list.slice(offset) : list.slice(offset, offset + limit)
		return json(200, { users: page.map((u) => toResponse(u, loadSub)), total: list.length })
	}))
	router.add('GET', '/api/users/simple', auth(() => json(200, { users: users.values().map((u) => ({ id: u.id, username: u.username })), total: users.size })))

	const CLIENT_TYPES = ['info', 'raw', 'apps', 'usage', 'links', 'links_base64', 'xray', 'wireguard', 'sing_box', 'clash', 'clash_meta', 'outline', 'block']
	function subRoute(req: SimRequest, type: string): SimResponse {
		const u = userFromToken(req.params.token)
		if (!u) return detail(404, 'Not Found')
		const headers = { 'subscription-userinfo': userInfoHeader(u.used, u.dataLimit, u.expire ? Math.floor(u.expire / 1000) : null) }
		if (type === 'info') return json(200, toResponse(u), headers)
		if (type === 'usage') return json(200, { period: 'day', stats: {} })
		if (type === 'links') return { status: 200, text: links(u).join('\n'), headers }
		if (type === 'block') return { status: 200, text: '', headers }
		if (['xray', 'sing_box', 'outline', 'apps', 'raw'].includes(type)) return json(200, { outbounds: links(u).map((l) => ({ link: l })) }, headers)
		if (type === 'clash' || type === 'clash_meta') return { status: 200, text: `proxies:\n${links(u).map((l) => `  - ${l}`).join('\n')}\n`, headers }
		return { status: 200, text: Buffer.from(links(u).join('\n')).toString('base64'), headers }
	}
	router.add('GET', '/sub/:token', (req) => subRoute(req, 'links_base64'))
	router.add('GET', '/sub/:token/:type', (req) => (CLIENT_TYPES.includes(req.params.type) ? subRoute(req, req.params.type) : detail(404, 'Not Found')))

	const server = await startHttpSim(router, control, { port: opts.port })
	const state = {
		users, byId, groups, inbounds, admins, apiKeys, tokens, addTraffic,
		createUser: (b: Record<string, unknown>) => guard(() => createUser(b)),
		/** Revoking a key makes every request carrying it 401 at once. */
		revokeApiKey: (key: string) => apiKeys.delete(key),
		/** Test hook: runs at the start of every user-list request (n counts them), e.g. to delete users mid-walk. */
		onList: undefined as ((n: number) => void) | undefined,
	}
	return { url: server.url, port: server.port, control, close: server.close, state }
}

/**
 * app/models/validators.py UserValidator.validate_username, check by check with its messages: the
 * third one (no two of `-_@.` in a row) is the one a naive `[a-z0-9_]` slug trips over.
 */
function validateUsername(username: string) {
	if (username.length < 3 || username.length > 128) throw new Invalid('username', 'Username only can be 3 to 128 characters.')
	if (!/^[a-zA-Z0-9\-_@.]+$/.test(username)) throw new Invalid('username', 'Username can only contain alphanumeric characters, -, _, @, and .')
	if (/[-_@.]{2,}/.test(username)) throw new Invalid('username', 'Username cannot have consecutive special characters')
}

export type PasarGuardSim = Awaited<ReturnType<typeof startPasarGuardSim>>
