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
 * Applies a `sort` list such as `created_at` or `-username`. Insertion order already is
 * created_at order, so the common case costs nothing (or one reverse).
 */
export function sortRecords<T>(records: readonly T[], sort: string | null, keys: Record<string, (r: T) => number | string>): readonly T[] | null {
	if (!sort) return records
	const fields = sort.split(',').map((s) => s.trim()).filter(Boolean)
	if (fields.length === 1 && fields[0] === 'created_at') return records
	if (fields.length === 1 && fields[0] === '-created_at') return [...records].reverse()
	const parsed = fields.map((f) => ({ desc: f.startsWith('-'), key: keys[f.replace(/^-/, '')] }))
	if (parsed.some((p) => !p.key)) return null
	return [...records].sort((a, b) => {
		for (const p of parsed) {
			const x = p.key(a)
			const y = p.key(b)
			if (x !== y) return (x < y ? -1 : 1) * (p.desc ? -1 : 1)
		}
		return 0
	})
}
