// Pieces the three Xray-panel simulators (Marzban, PasarGuard, Marzneshin) share: FastAPI's
// custom 422 shape, value parsing with pydantic-like strictness, share links, and sorting.
import { randomBytes, randomUUID } from 'node:crypto'
import { detail, type SimResponse } from './base'

export const RESET_STRATEGIES = ['no_reset', 'day', 'week', 'month', 'year']
export const PROTOCOLS = ['vmess', 'vless', 'trojan', 'shadowsocks'] as const
export type Protocol = (typeof PROTOCOLS)[number]

export interface SimInbound {
	tag: string
	protocol: Protocol
	network: string
	tls: string
	port: number
}

export const DEFAULT_INBOUNDS: SimInbound[] = [
	{ tag: 'VLESS TCP REALITY', protocol: 'vless', network: 'tcp', tls: 'reality', port: 443 },
	{ tag: 'VMess WS', protocol: 'vmess', network: 'ws', tls: 'none', port: 8080 },
	{ tag: 'Trojan TCP', protocol: 'trojan', network: 'tcp', tls: 'tls', port: 8443 },
	{ tag: 'Shadowsocks TCP', protocol: 'shadowsocks', network: 'tcp', tls: 'none', port: 1080 },
]

/** The xray panels' exception handler: `{"detail": {<last loc element>: <msg>}}`. */
export const unprocessable = (field: string, msg: string): SimResponse => detail(422, { [field]: msg })

/** Thrown by the parsers below and turned into a 422 by the routes. */
export class Invalid extends Error {
	constructor(
		readonly field: string,
		readonly msg: string,
	) {
		super(msg)
	}
}

export function guard(fn: () => SimResponse): SimResponse {
	try {
		return fn()
	} catch (e) {
		if (e instanceof Invalid) return unprocessable(e.field, e.msg)
		throw e
	}
}

export function objectBody(body: unknown): Record<string, unknown> {
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Invalid('body', 'Input should be a valid dictionary')
	return body as Record<string, unknown>
}

/** Non-negative integer or null; strings and floats are rejected as pydantic strict ints would be. */
export function optInt(b: Record<string, unknown>, field: string): number | null | undefined {
	const v = b[field]
	if (v === undefined || v === null) return v as null | undefined
	if (typeof v !== 'number' || !Number.isInteger(v)) throw new Invalid(field, 'value is not a valid integer')
	if (v < 0) throw new Invalid(field, 'ensure this value is greater than or equal to 0')
	return v
}

export function optString(b: Record<string, unknown>, field: string, max = 500): string | null | undefined {
	const v = b[field]
	if (v === undefined || v === null) return v as null | undefined
	if (typeof v !== 'string') throw new Invalid(field, 'str type expected')
	if (v.length > max) throw new Invalid(field, `ensure this value has at most ${max} characters`)
	return v
}

export function optEnum(b: Record<string, unknown>, field: string, allowed: string[]): string | null | undefined {
	const v = b[field]
	if (v === undefined || v === null) return v as null | undefined
	if (typeof v !== 'string' || !allowed.includes(v)) throw new Invalid(field, `value is not a valid enumeration member; permitted: ${allowed.join(', ')}`)
	return v
}

/** ISO datetime (naive = UTC) → unix ms; throws Invalid. */
export function parseIso(field: string, v: unknown): number {
	if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(v)) {
		throw new Invalid(field, 'invalid datetime format')
	}
	const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(v)
	const ms = Date.parse(hasZone ? v : `${v.replace(' ', 'T')}Z`)
	if (Number.isNaN(ms)) throw new Invalid(field, 'invalid datetime format')
	return ms
}

/** Python's naive `datetime.isoformat()` of a UTC instant (no zone suffix). */
export function naiveIso(ms: number | null): string | null {
	if (ms === null) return null
	return new Date(ms).toISOString().replace(/\.000Z$/, '').replace('Z', '')
}

/** Python's tz-aware isoformat (`+00:00`), as PasarGuard returns. */
export function awareIso(ms: number | null): string | null {
	if (ms === null) return null
	return new Date(ms).toISOString().replace(/\.000Z$/, '+00:00').replace('Z', '+00:00')
}

export function proxyCredentials(protocol: Protocol): Record<string, string> {
	switch (protocol) {
		case 'vmess':
		case 'vless':
			return { id: randomUUID() }
		case 'trojan':
			return { password: randomBytes(12).toString('base64url') }
		case 'shadowsocks':
			return { password: randomBytes(12).toString('base64url'), method: 'chacha20-ietf-poly1305' }
	}
}

/** One share URI per inbound, in the shape the real panels emit. */
export function shareLink(inbound: SimInbound, creds: Record<string, string>, label: string, host = 'vpn.example.com') {
	const name = encodeURIComponent(`${inbound.tag} (${label})`)
	switch (inbound.protocol) {
		case 'vless':
			return `vless://${creds.id}@${host}:${inbound.port}?security=${inbound.tls}&type=${inbound.network}#${name}`
		case 'vmess': {
			const cfg = { v: '2', ps: `${inbound.tag} (${label})`, add: host, port: inbound.port, id: creds.id, net: inbound.network, tls: inbound.tls }
			return `vmess://${Buffer.from(JSON.stringify(cfg)).toString('base64')}`
		}
		case 'trojan':
			return `trojan://${creds.password}@${host}:${inbound.port}?security=${inbound.tls}#${name}`
		case 'shadowsocks':
			return `ss://${Buffer.from(`${creds.method}:${creds.password}`).toString('base64url')}@${host}:${inbound.port}#${name}`
	}
}

export function userInfoHeader(used: number, limit: number | null, expireSeconds: number | null) {
	return `upload=0; download=${used}; total=${limit ?? 0}; expire=${expireSeconds ?? 0}`
}

/**
 * MySQL-like order for rows that tie on every sort key: InnoDB returns them in whatever order the
 * plan produces, and a different LIMIT/OFFSET can change it (created_at is whole seconds there, so
 * users made in the same second tie). `seed` makes it reproducible; `salt` differs per request.
 */
export interface TieOrder {
	seed: number
	salt: number
}

/**
 * Applies a `sort` list such as `created_at` or `-username`. Insertion order already is
 * created_at order, so the common case costs nothing (or one reverse). With `ties`, rows equal on
 * every key come back shuffled per request (see TieOrder); without, ties keep insertion order.
 */
export function sortRecords<T>(records: readonly T[], sort: string | null, keys: Record<string, (r: T) => number | string>, ties?: TieOrder): readonly T[] | null {
	const sorted = sortOnly(records, sort, keys)
	if (!sorted || !ties || !sort) return sorted
	const fields = sort.split(',').map((s) => keys[s.trim().replace(/^-/, '')]!).filter(Boolean)
	return shuffleTies(sorted, (r) => fields.map((k) => String(k(r))).join('\u0000'), ties)
}

/** Keys that never change once a record exists, so an order over them can be reused. */
const IMMUTABLE_KEYS = new Set(['created_at', 'username'])
// Per records array (OrderedStore hands out the same array until a delete compacts it): the last
// order over immutable keys, valid while the length is the same. A page walk sorts once, not per page.
const sortCache = new WeakMap<readonly unknown[], { sort: string; length: number; sorted: readonly unknown[] }>()

function sortOnly<T>(records: readonly T[], sort: string | null, keys: Record<string, (r: T) => number | string>): readonly T[] | null {
	if (!sort) return records
	const fields = sort.split(',').map((s) => s.trim()).filter(Boolean)
	if (fields.length === 1 && fields[0] === 'created_at') return records
	if (fields.length === 1 && fields[0] === '-created_at') return [...records].reverse()
	const parsed = fields.map((f) => ({ desc: f.startsWith('-'), key: keys[f.replace(/^-/, '')] }))
	if (parsed.some((p) => !p.key)) return null
	const cacheable = fields.every((f) => IMMUTABLE_KEYS.has(f.replace(/^-/, '')))
	const hit = cacheable ? sortCache.get(records) : undefined
	if (hit && hit.sort === sort && hit.length === records.length) return hit.sorted as readonly T[]
	const sorted = [...records].sort((a, b) => {
		for (const p of parsed) {
			const x = p.key!(a)
			const y = p.key!(b)
			if (x !== y) return (x < y ? -1 : 1) * (p.desc ? -1 : 1)
		}
		return 0
	})
	if (cacheable) sortCache.set(records, { sort, length: records.length, sorted })
	return sorted
}

function shuffleTies<T>(sorted: readonly T[], tieKey: (r: T) => string, ties: TieOrder): T[] {
	const out = [...sorted]
	const next = mulberry32(ties.seed * 1_000_003 + ties.salt)
	for (let start = 0; start < out.length; ) {
		const key = tieKey(out[start]!)
		let end = start + 1
		while (end < out.length && tieKey(out[end]!) === key) end++
		for (let i = end - 1; i > start; i--) {
			const j = start + Math.floor(next() * (i - start + 1))
			;[out[i], out[j]] = [out[j]!, out[i]!]
		}
		start = end
	}
	return out
}

function mulberry32(seed: number) {
	let a = seed | 0
	return () => {
		a = (a + 0x6d2b79f5) | 0
		let t = Math.imul(a ^ (a >>> 15), 1 | a)
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296
	}
}
