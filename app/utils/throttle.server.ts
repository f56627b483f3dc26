// Failed-login throttling (policy and reasons: docs/decisions/008-login-throttling.md). One row per
// key in login_throttles, so every app instance sees the same counts. Nothing here sleeps: a
// blocked attempt is answered at once with 429 + Retry-After, before the password is checked.
//
// A browser that has logged in as a user before carries a signed device cookie for him; its
// attempts are counted on their own key only, so strangers' failures (from anywhere, also from
// the same address) never keep the rightful user out. Everyone else is counted three ways.
import { createCookie } from '@remix-run/node'
import { randomBytes } from 'node:crypto'
import { prisma } from './db.server'
import { env, secureCookies } from './env.server'

interface Rule {
	/** Failures in the window before any delay. */
	free: number
	/** The first delay; it doubles with every further failure, up to `maxMs`. */
	baseMs: number
	maxMs: number
	/** Counts start over this long after the window's first failure. */
	windowMs: number
}

const MINUTE = 60_000
export const RULES = {
	/** One username from one address (or one trusted device): progressive, 1 s … 15 min. */
	pair: { free: 5, baseMs: 1_000, maxMs: 15 * MINUTE, windowMs: 60 * MINUTE },
	/** One address across usernames: password spraying. */
	address: { free: 30, baseMs: 60_000, maxMs: 15 * MINUTE, windowMs: 15 * MINUTE },
	/** One username across addresses (botnets): only slows, at most a minute per attempt. */
	username: { free: 10, baseMs: 1_000, maxMs: MINUTE, windowMs: 15 * MINUTE },
} satisfies Record<string, Rule>

type Kind = keyof typeof RULES
export interface ThrottleKey {
	key: string
	kind: Kind
}

export const deviceCookie = createCookie('__device', {
	path: '/',
	httpOnly: true,
	sameSite: 'lax',
	secure: secureCookies(),
	secrets: [env().SESSION_SECRET],
	maxAge: 365 * 24 * 60 * 60,
})

type Device = { u: string; d: string }

async function trustedDevice(request: Request, username: string): Promise<string | null> {
	const value = (await deviceCookie.parse(request.headers.get('cookie'))) as Device | null
	return value && typeof value === 'object' && value.u === username && typeof value.d === 'string' ? value.d : null
}

/** After a successful login: this browser is trusted for this username from now on. */
export function trustDevice(username: string) {
	return deviceCookie.serialize({ u: username, d: randomBytes(12).toString('base64url') } satisfies Device)
}

export async function throttleKeys(request: Request, ip: string, username: string): Promise<ThrottleKey[]> {
	const device = await trustedDevice(request, username)
	if (device) return [{ key: `device:${device}`, kind: 'pair' }]
	return [
		{ key: `pair:${ip}|${username}`, kind: 'pair' },
		{ key: `ip:${ip}`, kind: 'address' },
		{ key: `user:${username}`, kind: 'username' },
	]
}

/** Seconds until an attempt may be made (0 = go ahead). */
export async function retryAfter(keys: ThrottleKey[], now = new Date()) {
	const rows = await prisma.loginThrottle.findMany({ where: { key: { in: keys.map((k) => k.key) }, lockedUntil: { gt: now } }, select: { lockedUntil: true } })
	const until = Math.max(0, ...rows.map((r) => r.lockedUntil!.getTime()))
	return until ? Math.ceil((until - now.getTime()) / 1000) : 0
}

/** One statement per key: atomic under concurrency (no read-modify-write race). */
export async function recordFailure(keys: ThrottleKey[], now = new Date()) {
	for (const { key, kind } of keys) {
		const rule: Rule = RULES[kind]
		const windowFloor = new Date(now.getTime() - rule.windowMs)
		await prisma.$executeRaw`
			insert into login_throttles as t (key, failures, window_start, locked_until)
			values (${key}, 1, ${now}, null)
			on conflict (key) do update set
				failures = case when t.window_start < ${windowFloor} then 1 else t.failures + 1 end,
				window_start = case when t.window_start < ${windowFloor} then ${now} else t.window_start end,
				locked_until = case
					when t.window_start >= ${windowFloor} and t.failures + 1 > ${rule.free}
					then ${now}::timestamptz + least(${rule.maxMs}::float8, ${rule.baseMs}::float8 * power(2, t.failures + 1 - ${rule.free} - 1)) * interval '1 millisecond'
					else null end`
	}
}

/** The right password: this username's counts from this address or device start over. */
export async function clearFailures(keys: ThrottleKey[]) {
	// Only the pair/device key: the address and username counts are other people's failures too.
	const own = keys.filter((k) => k.kind === 'pair').map((k) => k.key)
	await prisma.loginThrottle.deleteMany({ where: { key: { in: own } } })
}
