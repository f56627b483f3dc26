// Bounds /sub token guessing: after MISS_LIMIT unknown tokens from one address in a minute, that
// address gets 429 + Retry-After (for every token) until the minute is over. Known tokens never
// count, so a VPN client polling its own link is never slowed. Used by the raw client path in
// server/index.ts and by the browser page (routes/sub+/$token.tsx).
//
// In memory, per process, on purpose: the check runs on every /sub request and must cost nothing;
// with N instances the bound is N × MISS_LIMIT per minute, still far below what a 192-bit token
// space needs (decision 008).
import { loadSubscription } from './subscription.server'

export const SUB_MISS_LIMIT = 20
const WINDOW_MS = 60_000
const MAX_TRACKED = 50_000

const misses = new Map<string, { start: number; count: number }>()

/** Seconds this address must wait before asking again; 0 = go ahead. */
export function subRetryAfter(ip: string, now = Date.now()) {
	const entry = misses.get(ip)
	if (!entry || now - entry.start >= WINDOW_MS || entry.count < SUB_MISS_LIMIT) return 0
	return Math.max(1, Math.ceil((entry.start + WINDOW_MS - now) / 1000))
}

export function recordSubMiss(ip: string, now = Date.now()) {
	const entry = misses.get(ip)
	if (entry && now - entry.start < WINDOW_MS) {
		entry.count++
		return
	}
	if (misses.size >= MAX_TRACKED) prune(now)
	misses.set(ip, { start: now, count: 1 })
}

function prune(now: number) {
	for (const [ip, e] of misses) if (now - e.start >= WINDOW_MS) misses.delete(ip)
	// Still full (a flood from many addresses): forget the oldest half rather than grow.
	if (misses.size >= MAX_TRACKED) {
		let drop = misses.size / 2
		for (const ip of misses.keys()) {
			if (drop-- <= 0) break
			misses.delete(ip)
		}
	}
}

/** For the Remix routes: the subscription, or a thrown 429 / 404 (the route's boundary translates it). */
export async function guardedSubscription(token: string, ip: string) {
	const wait = subRetryAfter(ip)
	if (wait) throw new Response('Too Many Requests', { status: 429, headers: { 'Retry-After': String(wait) } })
	const sub = await loadSubscription(token)
	if (!sub) {
		recordSubMiss(ip)
		throw new Response('Not Found', { status: 404 })
	}
	return sub
}
