// Marzneshin (master ≈ v0.7.4) simulator: the routes, shapes, units and quirks of panel-contracts.md §3.
import { randomBytes } from 'node:crypto'
import { detail, json, OrderedStore, Router, SimControl, startHttpSim, TokenStore, type SimRequest, type SimResponse } from './base'
import {
	DEFAULT_INBOUNDS, guard, Invalid, naiveIso, objectBody, optEnum, optInt, optString, parseIso, proxyCredentials,
	RESET_STRATEGIES, shareLink, sortRecords, unprocessable, userInfoHeader, type Protocol, type SimInbound,
} from './xray-common'

const STRATEGIES = ['never', 'fixed_date', 'start_on_first_use']

export interface MarzneshinService {
	id: number
	name: string
	inbound_ids: number[]
}

export interface MarzneshinUser {
	id: number
	username: string
	/** 32 hex chars; the subscription URL and the proxy credentials derive from it. */
	key: string
	expireStrategy: string
	expireDate: number | null
	usageDuration: number | null
	activationDeadline: number | null
	dataLimit: number | null
	resetStrategy: string
	note: string | null
	onlineAt: number | null
	enabled: boolean
	used: number
	resetTotal: number
	subRevokedAt: number | null
	createdAt: number
	serviceIds: number[]
	trafficResetAt: number | null
	/** The admin who created it; a non-sudo admin sees and manages only its own users. */
	owner: string
	creds: Record<Protocol, Record<string, string>>
}

export interface MarzneshinSimOptions {
	port?: number
	admins?: Record<string, string>
	inbounds?: SimInbound[]
	services?: MarzneshinService[]
	tokenLifetimeSeconds?: number
	/** Admins (names in `admins`) that are not sudo: they see only their own users, and get 403 for a missing one. */
	nonSudo?: string[]
	/** MySQL-like list order: created_at in whole seconds, ties shuffled per request (xray-common TieOrder). */
	mysqlTies?: { seed: number }
}

// app/models/user.py USERNAME_REGEXP `^\w{3,32}$` inside StringConstraints(to_lower=True): pydantic
// checks patterns with Rust's regex crate, whose \w is Unicode (letters, marks, digits, connectors).
const USERNAME_RE = /^[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]{3,32}$/u
const SORT_KEYS: Record<string, (u: MarzneshinUser) => number | string> = {
	username: (u) => u.username,
	used_traffic: (u) => u.used,
	data_limit: (u) => u.dataLimit ?? 0,
	expire_date: (u) => u.expireDate ?? 0,
	created_at: (u) => u.createdAt,
}

export async function startMarzneshinSim(opts: MarzneshinSimOptions = {}) {
	const admins = opts.admins ?? { admin: 'admin' }
	const inbounds = (opts.inbounds ?? DEFAULT_INBOUNDS).map((i, n) => ({ ...i, id: n + 1 }))
	const services = opts.services ?? [
		{ id: 1, name: 'All inbounds', inbound_ids: inbounds.map((i) => i.id) },
		{ id: 2, name: 'VLESS only', inbound_ids: inbounds.filter((i) => i.protocol === 'vless').map((i) => i.id) },
	]
	const tokens = new TokenStore(opts.tokenLifetimeSeconds)
	// Usernames are stored lower-cased and looked up exactly, so "Alice" in a path is a 404.
	const users = new OrderedStore<MarzneshinUser>()
	let nextId = 1
	let listRequests = 0
	const nonSudo = new Set(opts.nonSudo ?? [])
	const isSudo = (admin: string) => !nonSudo.has(admin)

	const isExpired = (u: MarzneshinUser) => u.expireStrategy === 'fixed_date' && u.expireDate !== null && u.expireDate <= Date.now()
	const limitReached = (u: MarzneshinUser) => !!u.dataLimit && u.used >= u.dataLimit
	const newKey = () => randomBytes(16).toString('hex')
	const credsFor = () => ({ vmess: proxyCredentials('vmess'), vless: proxyCredentials('vless'), trojan: proxyCredentials('trojan'), shadowsocks: proxyCredentials('shadowsocks') })

	function links(u: MarzneshinUser) {
		const ids = new Set(u.serviceIds.flatMap((id) => services.find((s) => s.id === id)?.inbound_ids ?? []))
		return inbounds.filter((i) => ids.has(i.id)).map((i) => shareLink(i, u.creds[i.protocol], u.username))
	}

	function toResponse(u: MarzneshinUser) {
		const expired = isExpired(u)
		const reached = limitReached(u)
		return {
			id: u.id,
			username: u.username,
			expire_strategy: u.expireStrategy,
			expire_date: naiveIso(u.expireDate),
			usage_duration: u.usageDuration,
			activation_deadline: naiveIso(u.activationDeadline),
			key: u.key,
			data_limit: u.dataLimit,
			data_limit_reset_strategy: u.resetStrategy,
			note: u.note,
			sub_updated_at: null,
			sub_last_user_agent: null,
			online_at: naiveIso(u.onlineAt),
			activated: u.enabled && !expired && !reached,
			is_active: u.enabled && !expired && !reached,
			expired,
			data_limit_reached: reached,
			enabled: u.enabled,
			used_traffic: u.used,
			lifetime_used_traffic: u.resetTotal + u.used,
			sub_revoked_at: naiveIso(u.subRevokedAt),
			created_at: naiveIso(u.createdAt),
			service_ids: u.serviceIds,
			subscription_url: `/sub/${u.username}/${u.key}`,
			owner_username: u.owner,
			traffic_reset_at: naiveIso(u.trafficResetAt),
		}
	}

	function parseServiceIds(b: Record<string, unknown>): number[] | undefined {
		const v = b.service_ids
		if (v === undefined || v === null) return undefined
		if (!Array.isArray(v) || v.some((x) => !Number.isInteger(x))) throw new Invalid('service_ids', 'Input should be a valid list')
		// Unknown ids are filtered out silently, as the crud query does.
		return (v as number[]).filter((id) => services.some((s) => s.id === id))
	}

	/** Applies expire_strategy + its fields; changing the strategy clears what no longer applies. */
	function applyExpiry(u: MarzneshinUser, b: Record<string, unknown>, creating: boolean) {
		const strategy = optEnum(b, 'expire_strategy', STRATEGIES)
		if (creating && !strategy) throw new Invalid('expire_strategy', 'Field required')
		const date = b.expire_date === undefined || b.expire_date === null ? undefined : parseIso('expire_date', b.expire_date)
		const duration = optInt(b, 'usage_duration')
		const deadline = b.activation_deadline ? parseIso('activation_deadline', b.activation_deadline) : undefined
		if (strategy === 'fixed_date' && date === undefined) throw new Invalid('expire_date', 'expire_date is required for fixed_date expire strategy')
		if (strategy === 'start_on_first_use' && !duration) throw new Invalid('usage_duration', 'usage_duration is required for start_on_first_use expire strategy')
		if (strategy) {
			u.expireStrategy = strategy
			u.expireDate = strategy === 'fixed_date' ? (date as number) : null
			u.usageDuration = strategy === 'start_on_first_use' ? (duration as number) : null
			u.activationDeadline = strategy === 'start_on_first_use' ? (deadline ?? null) : null
			return
		}
		if (date !== undefined && u.expireStrategy === 'fixed_date') u.expireDate = date
		if (duration && u.expireStrategy === 'start_on_first_use') u.usageDuration = duration
	}

	function usernameOf(b: Record<string, unknown>) {
		const username = b.username
		if (typeof username !== 'string') throw new Invalid('username', 'Field required')
		if (!USERNAME_RE.test(username.toLowerCase())) throw new Invalid('username', 'Username only can be 3 to 32 characters and contain a-z, 0-9, and underscores in between.')
		return username.toLowerCase()
	}

	function createUser(b: Record<string, unknown>, owner = Object.keys(admins)[0]!): SimResponse {
		const username = usernameOf(b)
		const u: MarzneshinUser = {
			id: nextId, username, key: typeof b.key === 'string' && /^[0-9a-f]{32}$/.test(b.key) ? b.key : newKey(),
			expireStrategy: 'never', expireDate: null, usageDuration: null, activationDeadline: null,
			dataLimit: optInt(b, 'data_limit') || null,
			resetStrategy: optEnum(b, 'data_limit_reset_strategy', RESET_STRATEGIES) ?? 'no_reset',
			note: optString(b, 'note') ?? null, onlineAt: null, enabled: true, used: 0, resetTotal: 0, subRevokedAt: null,
			createdAt: opts.mysqlTies ? Math.floor(Date.now() / 1000) * 1000 : Date.now(), serviceIds: parseServiceIds(b) ?? [],
			trafficResetAt: null, owner, creds: credsFor(),
		}
		applyExpiry(u, b, true)
		if (users.has(username)) return detail(409, 'User already exists')
		nextId++
		users.insert(username, u)
		return json(200, toResponse(u))
	}

	function modifyUser(u: MarzneshinUser, b: Record<string, unknown>): SimResponse {
		// UserModify inherits the required username; its value is ignored.
		usernameOf(b)
		const dataLimit = optInt(b, 'data_limit')
		const strategy = optEnum(b, 'data_limit_reset_strategy', RESET_STRATEGIES)
		const note = optString(b, 'note')
		const serviceIds = parseServiceIds(b)
		applyExpiry(u, b, false)
		if (dataLimit !== undefined && dataLimit !== null) u.dataLimit = dataLimit || null
		if (strategy) u.resetStrategy = strategy
		if (note !== undefined && note !== null) u.note = note
		if (serviceIds) u.serviceIds = serviceIds
		return json(200, toResponse(u))
	}

	function addTraffic(bytes: number | Record<string, number>) {
		const add = (u: MarzneshinUser, n: number) => {
			if (!u.enabled || isExpired(u) || limitReached(u)) return
			u.used += n
			u.onlineAt = Date.now()
		}
		if (typeof bytes === 'number') for (const u of users.values()) add(u, bytes)
		else for (const [name, n] of Object.entries(bytes)) { const u = users.get(name.toLowerCase()); if (u) add(u, n) }
	}

	let seeded = 0
	function seed(n: number, prefix: string) {
		for (let i = 0; i < n; i++) createUser({ username: `${prefix}_${++seeded}`, service_ids: [services[0].id], expire_strategy: 'never' })
	}

	const control = new SimControl({ expireTokens: () => tokens.expireAll(), reboot: () => tokens.expireAll(), addTraffic, seed })
	const router = new Router()
	const auth = (handler: (req: SimRequest) => SimResponse) => (req: SimRequest): SimResponse =>
		tokens.fromRequest(req) ? guard(() => handler(req)) : detail(401, 'Could not validate credentials')
	const withUser = (fn: (u: MarzneshinUser, req: SimRequest) => SimResponse) => auth((req) => {
		const me = tokens.fromRequest(req)!
		const u = users.get(req.params.username)
		// app/dependencies.py get_user checks ownership before existence: a non-sudo admin gets
		// 403 for someone else's user and for one that does not exist at all.
		if (!isSudo(me) && u?.owner !== me) return detail(403, "You're not allowed")
		return u ? fn(u, req) : detail(404, 'User not found')
	})
	function paginate<T>(req: SimRequest, all: readonly T[], defaultSize = 50) {
		const page = Number(req.query.get('page') ?? 1)
		const size = Number(req.query.get('size') ?? defaultSize)
		if (!Number.isInteger(page) || page < 1) return unprocessable('page', 'Input should be greater than or equal to 1')
		if (!Number.isInteger(size) || size < 1) return unprocessable('size', 'Input should be greater than or equal to 1')
		if (size > 100) return unprocessable('size', 'Input should be less than or equal to 100')
		const pages = Math.ceil(all.length / size)
		const link = (p: number) => `${req.path}?page=${p}&size=${size}`
		return {
			items: all.slice((page - 1) * size, page * size), total: all.length, page, size, pages,
			links: { first: link(1), last: link(Math.max(pages, 1)), self: link(page), next: page < pages ? link(page + 1) : null, prev: page > 1 ? link(page - 1) : null },
		}
	}

	router.add('POST', '/api/admins/token', (req) => {
		if (!req.form?.username || req.form.password === undefined) return unprocessable(req.form ? 'password' : 'username', 'Field required')
		if (admins[req.form.username] !== req.form.password) return detail(401, 'Incorrect username or password')
		const sudo = isSudo(req.form.username)
		return json(200, { access_token: tokens.issue(req.form.username, { access: sudo ? 'sudo' : 'admin' }), is_sudo: sudo, token_type: 'bearer' })
	})
	router.add('GET', '/api/admins/current', auth((req) => json(200, {
		id: 1, username: tokens.fromRequest(req), is_sudo: isSudo(tokens.fromRequest(req)!), enabled: true, all_services_access: true,
		modify_users_access: true, service_ids: [], subscription_url_prefix: '',
	})))
	router.add('GET', '/api/system/stats/users', auth(() => {
		const all = users.values()
		return json(200, {
			total: all.length, active: all.filter((u) => u.enabled && !isExpired(u) && !limitReached(u)).length,
			on_hold: all.filter((u) => u.expireStrategy === 'start_on_first_use').length,
			expired: all.filter(isExpired).length, limited: all.filter(limitReached).length, online: 0,
		})
	}))
	// app/routes/node.py get_nodes (SudoAdminDep): Page[NodeResponse], whose `backends` carry each
	// core's version (app/models/node.py Backend) — the panel's own __version__ is a stale "0.1.0".
	router.add('GET', '/api/nodes', auth((req) => {
		if (!isSudo(tokens.fromRequest(req)!)) return detail(403, "You're not allowed")
		const r = paginate(req, [{
			id: 1, name: 'local', address: '127.0.0.1', port: 53042, connection_backend: 'grpclib', usage_coefficient: 1, xray_version: null,
			status: 'healthy', message: null, inbound_ids: inbounds.map((i) => i.id), backends: [{ name: 'xray', backend_type: 'xray', version: '1.8.24', running: true }],
		}])
		return 'status' in r ? r : json(200, r)
	}))
	router.add('GET', '/api/services', auth((req) => {
		const r = paginate(req, services.map((s) => ({ ...s, user_ids: users.values().filter((u) => u.serviceIds.includes(s.id)).map((u) => u.id) })))
		return 'status' in r ? r : json(200, r)
	}))
	router.add('GET', '/api/inbounds', auth((req) => {
		const r = paginate(req, inbounds.map((i) => ({
			id: i.id, tag: i.tag, protocol: i.protocol, config: JSON.stringify({ network: i.network, tls: i.tls, port: i.port }),
			node: { id: 1, name: 'local' }, service_ids: services.filter((s) => s.inbound_ids.includes(i.id)).map((s) => s.id),
		})))
		return 'status' in r ? r : json(200, r)
	}))
	router.add('POST', '/api/users', auth((req) => createUser(objectBody(req.json), tokens.fromRequest(req)!)))
	router.add('GET', '/api/users', auth((req) => {
		const q = req.query
		// (not `onList?.(++n)`: an absent hook would skip the increment too)
		const n = ++listRequests
		state.onList?.(n)
		const me = tokens.fromRequest(req)!
		const orderBy = q.get('order_by')
		const ties = opts.mysqlTies ? { seed: opts.mysqlTies.seed, salt: n } : undefined
		// routes/user.py get_users: one order_by column, `descending` flips it; non-sudo admins see their own users only.
		let list = sortRecords(users.values(), orderBy ? `${q.get('descending') === 'true' ? '-' : ''}${orderBy}` : null, SORT_KEYS, ties)
		if (list && !isSudo(me)) list = list.filter((u) => u.owner === me)
		if (!list) return unprocessable('order_by', 'Input should be a valid enumeration member')
		const names = q.getAll('username').map((n) => n.toLowerCase())
		const flag = (k: string) => (q.get(k) === null ? null : q.get(k) === 'true')
		const filters = { is_active: flag('is_active'), enabled: flag('enabled'), expired: flag('expired'), data_limit_reached: flag('data_limit_reached') }
		if (names.length || Object.values(filters).some((f) => f !== null)) {
			list = list.filter((u) => {
				if (names.length === 1 && !u.username.includes(names[0])) return false
				if (names.length > 1 && !names.includes(u.username)) return false
				const r = toResponse(u)
				return (Object.keys(filters) as Array<keyof typeof filters>).every((k) => filters[k] === null || r[k] === filters[k])
			})
		}
		const r = paginate(req, list)
		return 'status' in r ? r : json(200, { ...r, items: r.items.map(toResponse) })
	}))
	router.add('GET', '/api/users/:username', withUser((u) => json(200, toResponse(u))))
	router.add('PUT', '/api/users/:username', withUser((u, req) => modifyUser(u, objectBody(req.json))))
	router.add('DELETE', '/api/users/:username', withUser((u) => {
		// Soft delete upstream (username set to NULL): the name is free again at once.
		users.delete(u.username)
		return json(200, {})
	}))
	router.add('POST', '/api/users/:username/enable', withUser((u) => {
		if (u.enabled) return detail(409, 'User is already enabled')
		u.enabled = true
		return json(200, toResponse(u))
	}))
	router.add('POST', '/api/users/:username/disable', withUser((u) => {
		if (!u.enabled) return detail(409, 'User is not enabled')
		u.enabled = false
		return json(200, toResponse(u))
	}))
	router.add('POST', '/api/users/:username/reset', withUser((u) => {
		u.resetTotal += u.used
		u.used = 0
		u.trafficResetAt = Date.now()
		return json(200, toResponse(u))
	}))
	router.add('POST', '/api/users/:username/revoke_sub', withUser((u) => {
		u.key = newKey()
		u.creds = credsFor()
		u.subRevokedAt = Date.now()
		return json(200, toResponse(u))
	}))

	const CLIENT_TYPES = ['info', 'usage', 'sing-box', 'clash-meta', 'clash', 'xray', 'v2ray', 'links', 'wireguard']
	function subRoute(req: SimRequest, type: string): SimResponse {
		const u = users.get(req.params.username)
		if (!/^[0-9a-f]{32}$/.test(req.params.key) || !u || u.key !== req.params.key) return detail(404, 'Not Found')
		const expireSec = u.expireDate ? Math.floor(u.expireDate / 1000) : null
		const headers = { 'subscription-userinfo': userInfoHeader(u.used, u.dataLimit, expireSec) }
		if (type === 'info') return json(200, toResponse(u), headers)
		if (type === 'usage') return json(200, { username: u.username, node_usages: [], total: u.used })
		if (type === 'links') return { status: 200, text: links(u).join('\n'), headers }
		if (type === 'clash' || type === 'clash-meta') return { status: 200, text: `proxies:\n${links(u).map((l) => `  - ${l}`).join('\n')}\n`, headers }
		if (type === 'sing-box' || type === 'xray' || type === 'wireguard') return json(200, { outbounds: links(u).map((l) => ({ link: l })) }, headers)
		return { status: 200, text: Buffer.from(links(u).join('\n')).toString('base64'), headers }
	}
	router.add('GET', '/sub/:username/:key', (req) => subRoute(req, 'v2ray'))
	router.add('GET', '/sub/:username/:key/:type', (req) => (CLIENT_TYPES.includes(req.params.type) ? subRoute(req, req.params.type) : detail(404, 'Not Found')))

	const server = await startHttpSim(router, control, { port: opts.port })
	const state = {
		users, services, inbounds, admins, tokens, addTraffic,
		/** Creates as `owner` (default: the first admin), as if that admin had called POST /api/users. */
		createUser: (b: Record<string, unknown>, owner?: string) => guard(() => createUser(b, owner)),
		/** Test hook: runs at the start of every user-list request (n counts them), e.g. to delete users mid-walk. */
		onList: undefined as ((n: number) => void) | undefined,
	}
	return { url: server.url, port: server.port, control, close: server.close, state }
}

export type MarzneshinSim = Awaited<ReturnType<typeof startMarzneshinSim>>
