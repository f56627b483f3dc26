// WireGuard helpers shared by the RouterOS adapters (the hub owns the client key pair there)
// and the simulators. Pure functions, no I/O.
import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto'

export interface WgKeyPair {
	privateKey: string
	publicKey: string
}

// A raw X25519 private key wrapped as PKCS#8 DER; JWK import would also want the public half.
const PKCS8_X25519_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex')

function base64UrlToBase64(value: string) {
	return Buffer.from(value, 'base64url').toString('base64')
}

/** A fresh key pair as WireGuard writes it: raw 32-byte keys in standard base64. */
export function generateWgKeyPair(): WgKeyPair {
	const { privateKey } = generateKeyPairSync('x25519')
	const jwk = privateKey.export({ format: 'jwk' })
	if (!jwk.d || !jwk.x) throw new Error('x25519 key export returned no raw key')
	return { privateKey: base64UrlToBase64(jwk.d), publicKey: base64UrlToBase64(jwk.x) }
}

/**
 * The same key pair every time for the same secret + label: a retried create then meets its own
 * first attempt ("already exists") instead of leaving a second peer. The bytes are clamped the
 * way `wg genkey` does, so every X25519 implementation derives the same public key.
 */
export function deriveWgKeyPair(secret: string, label: string): WgKeyPair {
	const raw = createHmac('sha256', secret).update(`guardino-wg-key:${label}`).digest()
	raw[0] &= 248
	raw[31] = (raw[31] & 127) | 64
	const privateKey = raw.toString('base64')
	return { privateKey, publicKey: publicKeyFromPrivate(privateKey) }
}

/** Throws when the text is not a base64 WireGuard key (32 raw bytes). */
export function publicKeyFromPrivate(privateKey: string): string {
	const raw = Buffer.from(privateKey, 'base64')
	if (raw.length !== 32 || raw.toString('base64') !== privateKey) {
		throw new Error('not a WireGuard private key')
	}
	const key = createPrivateKey({
		key: Buffer.concat([PKCS8_X25519_PREFIX, raw]),
		format: 'der',
		type: 'pkcs8',
	})
	const jwk = createPublicKey(key).export({ format: 'jwk' })
	if (!jwk.x) throw new Error('x25519 public key export failed')
	return base64UrlToBase64(jwk.x)
}

/** Usernames end up in a RouterOS comment, a peer name and a file name; keep them one token. */
export const WG_USERNAME_RE = /^[A-Za-z0-9_.@-]{1,64}$/

export function isWgKey(value: string) {
	return /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/.test(value)
}

// ---------------------------------------------------------------------------------------------
// IPv4 address allocation

export interface Ipv4Subnet {
	/** The interface's own address as an integer (e.g. 10.66.0.1 of 10.66.0.1/24). */
	address: number
	network: number
	broadcast: number
	prefix: number
}

export function ipv4ToInt(ip: string): number {
	const parts = ip.trim().split('.')
	if (parts.length !== 4) throw new Error(`not an IPv4 address: ${ip}`)
	let value = 0
	for (const part of parts) {
		if (!/^\d{1,3}$/.test(part) || Number(part) > 255) throw new Error(`not an IPv4 address: ${ip}`)
		value = value * 256 + Number(part)
	}
	return value
}

export function intToIpv4(value: number) {
	return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.')
}

export function parseCidr(cidr: string): Ipv4Subnet {
	const [ip, prefixText = '32'] = cidr.trim().split('/')
	const prefix = Number(prefixText)
	if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new Error(`bad prefix: ${cidr}`)
	const address = ipv4ToInt(ip)
	// Math on 2**n instead of bit shifts: `<<` is 32-bit signed and breaks for /0 and /1.
	const size = 2 ** (32 - prefix)
	const network = Math.floor(address / size) * size
	return { address, network, broadcast: network + size - 1, prefix }
}

export function isInSubnet(ip: string, subnet: Ipv4Subnet) {
	const value = ipv4ToInt(ip)
	return value >= subnet.network && value <= subnet.broadcast
}

/** An inclusive range of IPv4 addresses as integers. */
export type Ipv4Range = readonly [start: number, end: number]

/**
 * Every address routed to existing peers, from their allowed-address lists ("10.66.0.2/32",
 * "10.66.0.4/30,192.168.5.0/24", "fd00::3/128"): each entry is its whole range at any prefix
 * length (a site-to-site peer on 10.66.0.4/30 owns .4–.7, not just .4). IPv6 and anything
 * unparsable is skipped because it cannot collide with an IPv4 allocation.
 */
export function usedIpv4Ranges(allowedAddresses: Iterable<string | undefined>): Ipv4Range[] {
	const out: Ipv4Range[] = []
	for (const list of allowedAddresses) {
		if (!list) continue
		for (const item of list.split(',')) {
			const text = item.trim()
			if (!/^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(text)) continue
			try {
				const c = parseCidr(text)
				out.push([c.network, c.broadcast])
			} catch {
				// not an address: cannot be taken
			}
		}
	}
	return out
}

/** Single addresses (first address of each entry only): kept for callers that list hosts. */
export function usedIpv4Set(allowedAddresses: Iterable<string | undefined>) {
	const used = new Set<number>()
	for (const [start, end] of usedIpv4Ranges(allowedAddresses)) if (start === end) used.add(start)
	return used
}

export class SubnetFullError extends Error {
	constructor(cidr: string) {
		super(`no free address left in ${cidr}`)
		this.name = 'SubnetFullError'
	}
}

/**
 * First free host address of the interface subnet: never its network or broadcast address, the
 * interface's own address (or any of `ownAddresses`, the interface's other /ip/address entries),
 * or one inside a used range. Sorted ranges and one sweep, so a /16 holding 100k peers costs
 * milliseconds. /31 and /32 have no room for peers.
 */
export function allocateAddress(interfaceCidr: string, used: Set<number> | readonly Ipv4Range[], ownAddresses: readonly number[] = []): string {
	const subnet = parseCidr(interfaceCidr)
	if (subnet.prefix >= 31) throw new SubnetFullError(interfaceCidr)
	const ranges: Ipv4Range[] = used instanceof Set ? [...used].map((ip) => [ip, ip] as const) : [...used]
	for (const ip of [subnet.address, ...ownAddresses]) ranges.push([ip, ip])
	ranges.sort((a, b) => a[0] - b[0])
	let candidate = subnet.network + 1
	for (const [start, end] of ranges) {
		if (candidate >= subnet.broadcast) break
		if (end < candidate) continue
		if (start > candidate) break
		candidate = end + 1
	}
	if (candidate < subnet.broadcast) return intToIpv4(candidate)
	throw new SubnetFullError(interfaceCidr)
}

// ---------------------------------------------------------------------------------------------
// Client configuration (wg-quick format)

export interface WgClientConfig {
	privateKey: string
	address: string
	dns?: string
	serverPublicKey: string
	presharedKey?: string
	endpoint: string
	allowedIps?: string
	keepalive?: number
	mtu?: number
}

export function buildWgQuickConfig(c: WgClientConfig) {
	const lines = ['[Interface]', `PrivateKey = ${c.privateKey}`, `Address = ${c.address}`]
	if (c.dns) lines.push(`DNS = ${c.dns}`)
	if (c.mtu) lines.push(`MTU = ${c.mtu}`)
	lines.push('', '[Peer]', `PublicKey = ${c.serverPublicKey}`)
	if (c.presharedKey) lines.push(`PresharedKey = ${c.presharedKey}`)
	lines.push(`Endpoint = ${c.endpoint}`, `AllowedIPs = ${c.allowedIps ?? '0.0.0.0/0, ::/0'}`)
	if (c.keepalive) lines.push(`PersistentKeepalive = ${c.keepalive}`)
	return lines.join('\n') + '\n'
}

/** Sections in file order; repeated sections ([Peer]) stay separate. Keys keep their case. */
export function parseWgQuickConfig(text: string) {
	const sections: { name: string; values: Record<string, string> }[] = []
	for (const raw of text.split(/\r?\n/)) {
		const line = raw.replace(/#.*$/, '').trim()
		if (!line) continue
		const header = /^\[(\w+)\]$/.exec(line)
		if (header) {
			sections.push({ name: header[1], values: {} })
			continue
		}
		const eq = line.indexOf('=')
		if (eq < 1 || sections.length === 0) throw new Error(`bad config line: ${raw}`)
		// Base64 keys end with '=', so split on the first '=' only.
		sections[sections.length - 1].values[line.slice(0, eq).trim()] = line.slice(eq + 1).trim()
	}
	return sections
}

// ---------------------------------------------------------------------------------------------
// Durations

const ROS_UNITS: Record<string, number> = {
	w: 604_800_000,
	d: 86_400_000,
	h: 3_600_000,
	m: 60_000,
	s: 1000,
	ms: 1,
}

/**
 * RouterOS duration text → milliseconds: "1w2d3h4m5s", "14s", "1s250ms", and the older clock
 * tail form "2d03:04:05". Returns null for text we cannot read rather than guessing.
 */
export function parseRouterOsDuration(text: string | undefined | null): number | null {
	if (!text) return null
	let rest = text.trim()
	let total = 0
	const clock = /(\d+):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(rest)
	if (clock) {
		total += (Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3])) * 1000
		if (clock[4]) total += Math.round(Number(`0.${clock[4]}`) * 1000)
		rest = rest.slice(0, clock.index)
	}
	if (rest === '') return clock ? total : null
	const unit = /(\d+)(ms|w|d|h|m|s)/gy
	let consumed = 0
	for (let match = unit.exec(rest); match; match = unit.exec(rest)) {
		total += Number(match[1]) * ROS_UNITS[match[2]]
		consumed = unit.lastIndex
	}
	return consumed === rest.length ? total : null
}

/** Milliseconds → RouterOS duration text, as the simulators print it ("1w2d3h4m5s", "0s"). */
export function formatRouterOsDuration(ms: number) {
	let rest = Math.max(0, Math.floor(ms))
	let out = ''
	for (const [name, size] of Object.entries(ROS_UNITS)) {
		const count = Math.floor(rest / size)
		rest -= count * size
		if (count > 0) out += `${count}${name}`
	}
	return out || '0s'
}

/**
 * Python `str(timedelta)` → milliseconds: "0:01:23", "1 day, 2:03:04", "3 days, 0:00:01.5".
 * WGDashboard also writes "No Handshake" / "N/A", which mean "never": null.
 */
export function parseTimedelta(text: string | undefined | null): number | null {
	if (!text) return null
	const match = /^(?:(-?\d+) days?, )?(\d+):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(text.trim())
	if (!match) return null
	const days = Number(match[1] ?? 0)
	const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4])
	const fraction = match[5] ? Number(`0.${match[5]}`) : 0
	return Math.round((days * 86_400 + seconds + fraction) * 1000)
}

/** The inverse, for the simulator. */
export function formatTimedelta(ms: number) {
	const totalSeconds = Math.floor(ms / 1000)
	const days = Math.floor(totalSeconds / 86_400)
	const rest = totalSeconds - days * 86_400
	const clock = `${Math.floor(rest / 3600)}:${String(Math.floor(rest / 60) % 60).padStart(2, '0')}:${String(rest % 60).padStart(2, '0')}`
	return days ? `${days} day${days === 1 ? '' : 's'}, ${clock}` : clock
}
