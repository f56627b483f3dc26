// Failed-login throttling per IP and per username, kept in Postgres so it holds across every
// app instance. After MAX_FAILURES in WINDOW the key is locked for LOCK.
import { prisma } from './db.server'

export const MAX_FAILURES = 5
const WINDOW_MS = 15 * 60_000
const LOCK_MS = 15 * 60_000

export function throttleKeys(ip: string, username: string) {
	return [`ip:${ip}`, `user:${username.toLowerCase()}`]
}

export async function isLocked(keys: string[], now = new Date()) {
	const locked = await prisma.loginThrottle.findFirst({ where: { key: { in: keys }, lockedUntil: { gt: now } }, select: { key: true } })
	return Boolean(locked)
}

/** One statement per key: atomic under concurrency (no read-modify-write race). */
export async function recordFailure(keys: string[], now = new Date()) {
	for (const key of keys) {
		await prisma.$executeRaw`
			insert into login_throttles (key, failures, window_start)
			values (${key}, 1, ${now})
			on conflict (key) do update set
				failures = case when login_throttles.window_start < ${new Date(now.getTime() - WINDOW_MS)} then 1 else login_throttles.failures + 1 end,
				window_start = case when login_throttles.window_start < ${new Date(now.getTime() - WINDOW_MS)} then ${now} else login_throttles.window_start end,
				locked_until = case
					when login_throttles.window_start >= ${new Date(now.getTime() - WINDOW_MS)} and login_throttles.failures + 1 >= ${MAX_FAILURES}
					then ${new Date(now.getTime() + LOCK_MS)} else login_throttles.locked_until end`
	}
}

export async function clearFailures(username: string) {
	await prisma.loginThrottle.deleteMany({ where: { key: `user:${username.toLowerCase()}` } })
}
