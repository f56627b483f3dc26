// Authentication: remix-auth's FormStrategy checks the password; we own the session, which lives
// in Postgres (revocable, expiring). The cookie carries a random token; the table stores its hash.
import { createHash, randomBytes } from 'node:crypto'
import { createCookie, redirect } from '@remix-run/node'
import { Authenticator } from 'remix-auth'
import { FormStrategy } from 'remix-auth-form'
import type { Role } from '../generated/prisma/enums'
import { prisma } from './db.server'
import { env } from './env.server'
import { dummyHash, verifyPassword } from './password.server'
import { clientIp } from './request.server'
import { clearFailures, isLocked, recordFailure, throttleKeys } from './throttle.server'

export const SESSION_TTL_MS = 30 * 24 * 60 * 60_000

export const sessionCookie = createCookie('__session', {
	path: '/',
	httpOnly: true,
	sameSite: 'lax',
	secure: env().NODE_ENV === 'production',
	secrets: [env().SESSION_SECRET],
	maxAge: SESSION_TTL_MS / 1000,
})

export type SessionUser = { id: number; username: string; role: Role; displayName: string | null }

export class LoginError extends Error {
	constructor(readonly code: 'invalid' | 'throttled' | 'disabled') {
		super(code)
	}
}

export const authenticator = new Authenticator<SessionUser>()
authenticator.use(
	new FormStrategy(async ({ form, request }) => {
		const username = String(form.get('username') ?? '').trim().toLowerCase()
		const password = String(form.get('password') ?? '')
		const keys = throttleKeys(clientIp(request), username)
		if (await isLocked(keys)) throw new LoginError('throttled')
		const user = await prisma.user.findUnique({ where: { username } })
		const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password)
		if (!user || !ok) {
			await recordFailure(keys)
			throw new LoginError('invalid')
		}
		if (user.status !== 'active') throw new LoginError('disabled')
		await clearFailures(username)
		return { id: user.id, username: user.username, role: user.role, displayName: user.displayName }
	}),
	'form',
)

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

export async function createSession(userId: number, request: Request) {
	const token = randomBytes(32).toString('base64url')
	await prisma.session.create({
		data: {
			id: hashToken(token),
			userId,
			expiresAt: new Date(Date.now() + SESSION_TTL_MS),
			ip: clientIp(request),
			userAgent: request.headers.get('user-agent')?.slice(0, 300) ?? null,
		},
	})
	return sessionCookie.serialize(token)
}

async function sessionIdFrom(request: Request) {
	const token = await sessionCookie.parse(request.headers.get('cookie'))
	return typeof token === 'string' && token.length > 20 ? hashToken(token) : null
}

export async function getUser(request: Request): Promise<SessionUser | null> {
	const id = await sessionIdFrom(request)
	if (!id) return null
	const session = await prisma.session.findUnique({
		where: { id },
		select: { expiresAt: true, user: { select: { id: true, username: true, role: true, displayName: true, status: true } } },
	})
	if (!session || session.expiresAt <= new Date() || session.user.status !== 'active') return null
	const { status: _status, ...user } = session.user
	return user
}

export const AREA_OF: Record<Role, string> = { admin: '/admin', reseller: '/reseller', customer: '/account' }

/** Every loader and action calls one of these on its first line. */
export async function requireUser(request: Request, roles?: Role[]): Promise<SessionUser> {
	const user = await getUser(request)
	if (!user) {
		const url = new URL(request.url)
		throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`)
	}
	if (roles && !roles.includes(user.role)) throw new Response('Forbidden', { status: 403 })
	return user
}
export const requireAdmin = (request: Request) => requireUser(request, ['admin'])
export const requireReseller = (request: Request) => requireUser(request, ['reseller'])
export const requireCustomer = (request: Request) => requireUser(request, ['customer'])

export async function requireAnonymous(request: Request) {
	const user = await getUser(request)
	if (user) throw redirect(AREA_OF[user.role])
}

export async function logout(request: Request) {
	const id = await sessionIdFrom(request)
	if (id) await prisma.session.deleteMany({ where: { id } })
	return sessionCookie.serialize('', { maxAge: 0 })
}

/** After a password change: every other session of the user ends. */
export async function revokeOtherSessions(userId: number, request: Request) {
	const keep = await sessionIdFrom(request)
	await prisma.session.deleteMany({ where: { userId, ...(keep ? { id: { not: keep } } : {}) } })
}

/** Only same-site relative paths, so a crafted ?redirectTo= cannot send a user elsewhere. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback: string) {
	if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback
	return to
}
