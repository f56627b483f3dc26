// Marzban v0.8.4 simulator: the routes, shapes, units and quirks of panel-contracts.md §1.
import { createHmac, randomBytes } from 'node:crypto'
import { detail, json, OrderedStore, Router, SimControl, startHttpSim, TokenStore, type SimRequest, type SimResponse } from './base'
import {
	DEFAULT_INBOUNDS, guard, Invalid, naiveIso, objectBody, optEnum, optInt, optString, PROTOCOLS, proxyCredentials,
	RESET_STRATEGIES, shareLink, sortRecords, unprocessable, userInfoHeader, type Protocol, type SimInbound,
} from './xray-common'

type Status = 'active' | 'disabled' | 'limited' | 'expired' | 'on_hold'

export interface MarzbanUser {
	username: string
	status: Status
	used: number
	/** Traffic logged at earlier resets; lifetime_used_traffic = this + used. */
	resetTotal: number
	createdAt: number
	/** Unix seconds, null = never. */
	expire: number | null
	dataLimit: number | null
	resetStrategy: string
	proxies: Partial<Record<Protocol, Record<string, string>>>
	inbounds: Partial<Record<Protocol, string[]>>
	note: string | null
	onlineAt: number | null
	onHoldExpireDuration: number | null
	nextPlan: Record<string, unknown> | null
	/** Changing it invalidates every earlier subscription token (revoke_sub). */
	subSalt: string
}

export interface MarzbanSimOptions {
	port?: number
	admins?: Record<string, string>
	inbounds?: SimInbound[]
	tokenLifetimeSeconds?: number
	/** MySQL-like list order: created_at in whole seconds, ties shuffled per request (xray-common TieOrder). */
	mysqlTies?: { seed: number }
}

// app/models/user.py USERNAME_REGEXP, verbatim: the lookahead wants the name to open with 3–32 word
// characters followed by a boundary, so `ab.cd` is refused while `abc.d` passes. (Python's \w is
// Unicode, but the ASCII class after it refuses whatever more it would allow.) The column is
// String(34): on MySQL a longer name that passes the regex fails in the database instead.
const USERNAME_RE = /^(?=\w{3,32}\b)[a-zA-Z0-9-_@.]+(?:_[a-zA-Z0-9-_@.]+)*$/
const SORT_KEYS: Record<string, (u: MarzbanUser) => number | string> = {
	username: (u) => u.username.toLowerCase(),
	used_traffic: (u) => u.used,
	data_limit: (u) => u.dataLimit ?? 0,
	expire: (u) => u.expire ?? 0,
	created_at: (u) => u.createdAt,
}

export async function startMarzbanSim(opts: MarzbanSimOptions = {}) {
	const admins = opts.admins ?? { admin: 'admin' }
	const inbounds = opts.inbounds ?? DEFAULT_INBOUNDS
	const tokens = new TokenStore(opts.tokenLifetimeSeconds)
	// The DB collation is case-insensitive (app/db/models.py User.username String(34, collation='NOCASE')
	// and crud.get_user compares with it), so "Alice" and "alice" are the same user.
	const users = new OrderedStore<MarzbanUser>((k) => k.toLowerCase())
	const subSecret = randomBytes(16).toString('hex')
	const nowSec = () => Math.floor(Date.now() / 1000)
	let listRequests = 0

	// What Marzban's review job does periodically, applied whenever a user is read.
	function refresh(u: MarzbanUser) {
		if (u.status !== 'active') return u
		if (u.dataLimit && u.used >= u.dataLimit) u.status = 'limited'
		else if (u.expire && u.expire <= nowSec()) u.status = 'expired'
		return u
	}

	function subToken(u: MarzbanUser) {
		const payload = Buffer.from(`${u.username},${nowSec()}`).toString('base64url')
		return payload + createHmac('sha256', subSecret).update(payload + u.subSalt).digest('base64url').slice(0, 10)
	}

	function userFromToken(token: string) {
		const payload = token.slice(0, -10)
		const [username] = Buffer.from(payload, 'base64url').toString().split(',')
		const u = username ? users.get(username) : undefined
		if (!u) return null
		const sig = createHmac('sha256', subSecret).update(payload + u.subSalt).digest('base64url').slice(0, 10)
		return sig === token.slice(-10) ? refresh(u) : null
	}

	function links(u: MarzbanUser) {
		const out: string[] = []
		for (const proto of PROTOCOLS) {
			const creds = u.proxies[proto]
			if (!creds) continue
			for (const tag of u.inbounds[proto] ?? []) {
				const inbound = inbounds.find((i) => i.tag === tag)
				if (inbound) out.push(shareLink(inbound, creds, u.username))
			}
		}
		return out
	}

	function toResponse(u: MarzbanUser) {
		refresh(u)
		const excluded: Record<string, string[]> = {}
		for (const proto of Object.keys(u.proxies) as Protocol[]) {
			excluded[proto] = inbounds.filter((i) => i.protocol === proto && !u.inbounds[proto]?.includes(i.tag)).map((i) => i.tag)
		}
		return {
			username: u.username,
			status: u.status,
			used_traffic: u.used,
			lifetime_used_traffic: u.resetTotal + u.used,
			created_at: naiveIso(u.createdAt),
			expire: u.expire,
			data_limit: u.dataLimit,
			data_limit_reset_strategy: u.resetStrategy,
			proxies: u.proxies,
			inbounds: u.inbounds,
			excluded_inbounds: excluded,
			note: u.note,
			sub_updated_at: null,
			sub_last_user_agent: null,
			online_at: naiveIso(u.onlineAt),
			on_hold_expire_duration: u.onHoldExpireDuration,
			on_hold_timeout: null,
			auto_delete_in_days: null,
			next_plan: u.nextPlan,
			links: links(u),
			subscription_url: `/sub/${subToken(u)}`,
			admin: { username: Object.keys(admins)[0], is_sudo: true, telegram_id: null, discord_webhook: null },
		}
	}

	function parseProxies(b: Record<string, unknown>) {
		const raw = b.proxies
		if (raw === undefined || raw === null) return {}
		if (typeof raw !== 'object' || Array.isArray(raw)) throw new Invalid('proxies', 'value is not a valid dict')
		const out: MarzbanUser['proxies'] = {}
		for (const [proto, settings] of Object.entries(raw as Record<string, unknown>)) {
			if (!PROTOCOLS.includes(proto as Protocol)) throw new Invalid('proxies', `value is not a valid enumeration member: ${proto}`)
			out[proto as Protocol] = { ...proxyCredentials(proto as Protocol), ...(settings as Record<string, string>) }
		}
		return out
	}

	/** `inbounds` present: a missing or empty protocol means all of it; absent: nothing (see §1.2). */
	function resolveInbounds(proxies: MarzbanUser['proxies'], raw: unknown, present: boolean): SimResponse | MarzbanUser['inbounds'] {
		const given = (present && raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
		const out: MarzbanUser['inbounds'] = {}
		for (const proto of Object.keys(proxies) as Protocol[]) {
			const all = inbounds.filter((i) => i.protocol === proto).map((i) => i.tag)
			const tags = given[proto]
			if (!present) out[proto] = []
			else if (Array.isArray(tags) && tags.length) {
				for (const t of tags) if (!all.includes(t as string)) return detail(400, `Inbound ${String(t)} doesn't exist`)
				out[proto] = tags as string[]
			} else out[proto] = all
		}
		return out
	}

	/** `reply: false` skips building the response (links, a signed token): seeding 100k users stays quick. */
	function createUser(b: Record<string, unknown>, reply = true): SimResponse {
		const username = b.username
		if (typeof username !== 'string') throw new Invalid('username', 'field required')
		if (!USERNAME_RE.test(username)) {
			throw new Invalid('username', 'Username only can be 3 to 32 characters and contain a-z, 0-9, and underscores in between.')
		}
		const proxies = parseProxies(b)
		if (!Object.keys(proxies).length) throw new Invalid('proxies', 'Each user needs at least one proxy')
		const expire = optInt(b, 'expire')
		const dataLimit = optInt(b, 'data_limit')
		const strategy = optEnum(b, 'data_limit_reset_strategy', RESET_STRATEGIES) ?? 'no_reset'
		const status = (optEnum(b, 'status', ['active', 'on_hold']) ?? 'active') as Status
		const note = optString(b, 'note')
		const onHoldDuration = optInt(b, 'on_hold_expire_duration')
		if (status === 'on_hold' && !onHoldDuration) throw new Invalid('on_hold_expire_duration', 'User cannot be on hold without a valid on_hold_expire_duration.')
		for (const proto of Object.keys(proxies)) {
			if (!inbounds.some((i) => i.protocol === proto)) return detail(400, `Protocol ${proto} is disabled on your server`)
		}
		const resolved = resolveInbounds(proxies, b.inbounds, 'inbounds' in b)
		if ('status' in resolved) return resolved as SimResponse
		if (users.has(username)) return detail(409, 'User already exists')
		const u: MarzbanUser = {
			username, status, used: 0, resetTotal: 0, createdAt: opts.mysqlTies ? nowSec() * 1000 : Date.now(), expire: expire || null, dataLimit: dataLimit || null,
			resetStrategy: strategy, proxies, inbounds: resolved as MarzbanUser['inbounds'], note: note ?? null, onlineAt: null,
			onHoldExpireDuration: onHoldDuration ?? null, nextPlan: (b.next_plan as Record<string, unknown>) ?? null,
			subSalt: randomBytes(6).toString('hex'),
		}
		users.insert(username, u)
		return json(200, reply ? toResponse(u) : null)
	}

	/** crud.update_user: PUT with partial semantics, except that next_plan is always replaced. */
	function modifyUser(u: MarzbanUser, b: Record<string, unknown>): SimResponse {
		const status = optEnum(b, 'status', ['active', 'disabled', 'on_hold']) as Status | null | undefined
		const expire = optInt(b, 'expire')
		const dataLimit = optInt(b, 'data_limit')
		const strategy = optEnum(b, 'data_limit_reset_strategy', RESET_STRATEGIES)
		const note = optString(b, 'note')
		const proxies = parseProxies(b)
		if (Object.keys(proxies).length) u.proxies = proxies
		if (b.inbounds && typeof b.inbounds === 'object' && Object.keys(b.inbounds).length) {
			const resolved = resolveInbounds(u.proxies, b.inbounds, true)
			if ('status' in resolved) return resolved as SimResponse
			u.inbounds = resolved as MarzbanUser['inbounds']
		}
		if (status) u.status = status
		if (dataLimit !== undefined && dataLimit !== null) {
			u.dataLimit = dataLimit || null
			if (u.status !== 'expired' && u.status !== 'disabled') {
				if (!u.dataLimit || u.used < u.dataLimit) {
					if (u.status !== 'on_hold') u.status = 'active'
				} else u.status = 'limited'
			}
		}
		if (expire !== undefined && expire !== null) {
			u.expire = expire || null
			if (u.status === 'active' || u.status === 'expired') u.status = !u.expire || u.expire > nowSec() ? 'active' : 'expired'
		}
		if (strategy) u.resetStrategy = strategy
		if (note !== undefined && note !== null) u.note = note
		// The trap: omitted or null next_plan deletes the stored one.
		u.nextPlan = (b.next_plan as Record<string, unknown> | null | undefined) ?? null
		return json(200, toResponse(u))
	}

	function addTraffic(bytes: number | Record<string, number>) {
		const add = (u: MarzbanUser, n: number) => {
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
		for (let i = 0; i < n; i++) createUser({ username: `${prefix}_${++seeded}`, proxies: { vless: {} }, inbounds: {}, status: 'active' }, false)
	}

	const control = new SimControl({ expireTokens: () => tokens.expireAll(), reboot: () => tokens.expireAll(), addTraffic, seed })
	const router = new Router()
	const auth = (handler: (req: SimRequest) => SimResponse) => (req: SimRequest): SimResponse => {
		if (typeof req.headers.authorization !== 'string') return detail(401, 'Not authenticated')
		if (!tokens.fromRequest(req)) return { ...detail(401, 'Could not validate credentials'), headers: { 'www-authenticate': 'Bearer' } }
		return guard(() => handler(req))
	}
	const withUser = (fn: (u: MarzbanUser, req: SimRequest) => SimResponse) => auth((req) => {
		const u = users.get(req.params.username)
		return u ? fn(refresh(u), req) : detail(404, 'User not found')
	})

	router.add('POST', '/api/admin/token', (req) => {
		if (!req.form?.username || req.form.password === undefined) return unprocessable(req.form ? 'password' : 'username', 'field required')
		if (admins[req.form.username] !== req.form.password) {
			return { ...detail(401, 'Incorrect username or password'), headers: { 'www-authenticate': 'Bearer' } }
		}
		return json(200, { access_token: tokens.issue(req.form.username, { access: 'sudo' }), token_type: 'bearer' })
	})
	router.add('GET', '/api/admin', auth((req) => json(200, { username: tokens.fromRequest(req), is_sudo: true, telegram_id: null, discord_webhook: null, users_usage: 0 })))
	router.add('GET', '/api/system', auth(() => {
		const count = (s: Status) => users.values().filter((u) => refresh(u).status === s).length
		return json(200, {
			version: '0.8.4', mem_total: 8_000_000_000, mem_used: 2_000_000_000, cpu_cores: 4, cpu_usage: 3.5,
			total_user: users.size, online_users: 0, users_active: count('active'), users_on_hold: count('on_hold'),
			users_disabled: count('disabled'), users_expired: count('expired'), users_limited: count('limited'),
			incoming_bandwidth: 0, outgoing_bandwidth: 0, incoming_bandwidth_speed: 0, outgoing_bandwidth_speed: 0,
		})
	}))
	router.add('GET', '/api/inbounds', auth(() => {
		const out: Record<string, SimInbound[]> = {}
		for (const i of inbounds) (out[i.protocol] ??= []).push(i)
		return json(200, out)
	}))
	router.add('POST', '/api/user', auth((req) => createUser(objectBody(req.json))))
	router.add('GET', '/api/user/:username', withUser((u) => json(200, toResponse(u))))
	router.add('PUT', '/api/user/:username', withUser((u, req) => modifyUser(u, objectBody(req.json))))
	router.add('DELETE', '/api/user/:username', withUser((u) => {
		users.delete(u.username)
		return json(200, { detail: 'User successfully deleted' })
	}))
	router.add('POST', '/api/user/:username/reset', withUser((u) => {
		u.resetTotal += u.used
		u.used = 0
		// Upstream tests `status not in (expired or disabled)`, a substring test against "expired":
		// only expired users keep their status; a disabled one comes back active.
		if (!'expired'.includes(u.status)) u.status = 'active'
		u.nextPlan = null
		return json(200, toResponse(u))
	}))
	router.add('POST', '/api/user/:username/revoke_sub', withUser((u) => {
		u.subSalt = randomBytes(6).toString('hex')
		for (const proto of Object.keys(u.proxies) as Protocol[]) u.proxies[proto] = proxyCredentials(proto)
		return json(200, toResponse(u))
	}))
	router.add('GET', '/api/users', auth((req) => {
		const q = req.query
		const offset = q.get('offset') === null ? 0 : Number(q.get('offset'))
		const limit = q.get('limit') === null ? null : Number(q.get('limit'))
		if (!Number.isInteger(offset) || offset < 0) return unprocessable('offset', 'value is not a valid integer')
		if (limit !== null && (!Number.isInteger(limit) || limit < 0)) return unprocessable('limit', 'value is not a valid integer')
		// (not `onList?.(++n)`: an absent hook would skip the increment too)
		const n = ++listRequests
		state.onList?.(n)
		const ties = opts.mysqlTies ? { seed: opts.mysqlTies.seed, salt: n } : undefined
		let list = sortRecords(users.values(), q.get('sort'), SORT_KEYS, ties)
		if (!list) return detail(400, `"${q.get('sort')}" is not a valid sort option`)
		const names = q.getAll('username').map((n) => n.toLowerCase())
		const search = q.get('search')?.toLowerCase()
		const status = q.get('status')
		if (names.length || search || status) {
			list = list.filter((u) =>
				(!names.length || names.includes(u.username.toLowerCase())) &&
				(!search || u.username.toLowerCase().includes(search) || (u.note ?? '').toLowerCase().includes(search)) &&
				(!status || refresh(u).status === status))
		}
		const page = limit === null ? list.slice(offset) : list.slice(offset, offset + limit)
		return json(200, { users: page.map(toResponse), total: list.length })
	}))

	const subRoute = (req: SimRequest, format: string): SimResponse => {
		const u = userFromToken(req.params.token)
		if (!u) return detail(404, 'Not Found')
		const headers = { 'subscription-userinfo': userInfoHeader(u.used, u.dataLimit, u.expire) }
		if (format === 'info') return json(200, toResponse(u), headers)
		if (format === 'usage') return json(200, { username: u.username, usages: [] })
		if (format === 'v2ray-json' || format === 'sing-box') return json(200, { outbounds: links(u).map((l) => ({ link: l })) }, headers)
		if (format === 'clash' || format === 'clash-meta') return { status: 200, text: `proxies:\n${links(u).map((l) => `  - ${l}`).join('\n')}\n`, headers }
		if (format === 'outline') return json(200, { server: 'vpn.example.com' }, headers)
		return { status: 200, text: Buffer.from(links(u).join('\n')).toString('base64'), headers }
	}
	router.add('GET', '/sub/:token', (req) => subRoute(req, 'v2ray'))
	router.add('GET', '/sub/:token/:type', (req) => {
		const type = req.params.type
		if (!['info', 'usage', 'sing-box', 'clash-meta', 'clash', 'outline', 'v2ray', 'v2ray-json'].includes(type)) return detail(404, 'Not Found')
		return subRoute(req, type)
	})

	const server = await startHttpSim(router, control, { port: opts.port })
	const state = {
		users, inbounds, admins, tokens, addTraffic,
		createUser: (b: Record<string, unknown>) => guard(() => createUser(b)),
		/** Test hook: runs at the start of every user-list request (n counts them), e.g. to delete users mid-walk. */
		onList: undefined as ((n: number) => void) | undefined,
	}
	return { url: server.url, port: server.port, control, close: server.close, state }
}

export type MarzbanSim = Awaited<ReturnType<typeof startMarzbanSim>>
