// Authentication: remix-auth's FormStrategy checks the password; we own the session, which lives
// in Postgres (revocable, expiring). The cookie carries a random token; the table stores its hash.
import { createHash, randomBytes } from 'node:crypto'
import { createCookie, redirect } from '@remix-run/node'
import { Authenticator } from 'remix-auth'
import { FormStrategy } from 'remix-auth-form'
import type { Role } from '../generated/prisma/enums'
import { prisma, sql } from './db.server'
import { env, secureCookies } from './env.server'
import { REQUEST_KEY_HEADER } from './request-key'
import { dummyHash, verifyPassword } from './password.server'

export const SESSION_TTL_MS = 30 * 24 * 60 * 60_000

export const sessionCookie = createCookie('__session', {
	path: '/',
	httpOnly: true,
	sameSite: 'lax',
	secure: secureCookies(),
	secrets: [env().SESSION_SECRET],
	maxAge: SESSION_TTL_MS / 1000,
})

export type SessionUser = { id: number; username: string; role: Role; displayName: string | null }

export class LoginError extends Error {
	constructor(readonly code: 'invalid' | 'disabled') {
		super(code)
	}
}

export const authenticator = new Authenticator<SessionUser>()
// Only the password check; the login action throttles around it (it has the client's address).
authenticator.use(
	new FormStrategy(async ({ form }) => {
		const username = String(form.get('username') ?? '').trim().toLowerCase()
		const password = String(form.get('password') ?? '')
		const user = await prisma.user.findUnique({ where: { username } })
		const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password)
		if (!user || !ok) throw new LoginError('invalid')
		if (user.status !== 'active') throw new LoginError('disabled')
		return { id: user.id, username: user.username, role: user.role, displayName: user.displayName }
	}),
	'form',
)

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

export async function createSession(userId: number, request: Request, ip: string | null = null) {
	const token = randomBytes(32).toString('base64url')
	await prisma.session.create({
		data: {
			id: hashToken(token),
			userId,
			expiresAt: new Date(Date.now() + SESSION_TTL_MS),
			ip,
			userAgent: request.headers.get('user-agent')?.slice(0, 300) ?? null,
		},
	})
	return sessionCookie.serialize(token)
}

async function sessionIdFrom(request: Request) {
	const token = await sessionCookie.parse(request.headers.get('cookie'))
	return typeof token === 'string' && token.length > 20 ? hashToken(token) : null
}

// A page's loaders (root, layout, route) each ask who is signed in; for one GET request they share
// one session lookup. Only reads: an action may sign in or out between two calls.
const usersOfPageRequests = new WeakMap<Request, Promise<SessionUser | null>>()

/**
 * Remix hands each loader its own copy of the request (server-runtime strips `?index` and
 * `?_routes` into a new Request per loader), so under the server the WeakMap above never hits and
 * a page looked its session up once per loader (decision 036). server/middleware.ts stamps every
 * request with REQUEST_KEY_HEADER — its request id, replacing whatever a client sent — and the
 * copies keep it. Keyed with the cookie too, so a key can only ever return its own cookie's user.
 */
const usersOfServedRequests = new Map<string, Promise<SessionUser | null>>()
/** More than the requests one process has in flight; a dropped entry only costs a second lookup. */
const SERVED_REQUESTS_KEPT = 1024

export function getUser(request: Request): Promise<SessionUser | null> {
	if (request.method !== 'GET' && request.method !== 'HEAD') return lookUpUser(request)
	const key = request.headers.get(REQUEST_KEY_HEADER)
	if (key) return sharedLookUp(`${key} ${request.headers.get('cookie') ?? ''}`, request)
	let user = usersOfPageRequests.get(request)
	if (!user) usersOfPageRequests.set(request, (user = lookUpUser(request)))
	return user
}

function sharedLookUp(key: string, request: Request) {
	let user = usersOfServedRequests.get(key)
	if (!user) {
		usersOfServedRequests.set(key, (user = lookUpUser(request)))
		if (usersOfServedRequests.size > SERVED_REQUESTS_KEPT) usersOfServedRequests.delete(usersOfServedRequests.keys().next().value!)
	}
	return user
}

async function lookUpUser(request: Request): Promise<SessionUser | null> {
	const id = await sessionIdFrom(request)
	if (!id) return null
	// Raw, and not through the ORM at all (utils/sql.server.ts): this runs on every signed-in
	// request, and Prisma's runtime per statement was most of a page's server time (issue 8 §3; 16).
	const [user] = await sql.$queryRaw<SessionUser[]>`
		select u.id, u.username, u.role::text as role, u.display_name as "displayName"
		from sessions s join users u on u.id = s.user_id
		where s.id = ${id} and s.expires_at > now() and u.status = 'active'`
	return user ?? null
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

const SAFE_BASE = 'http://hub.invalid'

/**
 * Only a path on this site, so a crafted ?redirectTo= cannot send a user elsewhere. Browsers
 * strip tabs and newlines and read `\` as `/` (`/\t/evil` → `//evil`), and a CR/LF in a Location
 * header is a 500, so anything that decodes to a control character or a backslash is refused,
 * as is anything the URL parser does not resolve to our own origin. The result is re-serialised
 * by the URL parser: percent-encoded, dot segments resolved, always safe in a header.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback: string) {
	if (typeof to !== 'string' || to.length > 2000 || !to.startsWith('/')) return fallback
	let decoded = to
	for (let i = 0; i < 3; i++) {
		let next: string
		try {
			next = decodeURIComponent(decoded)
		} catch {
			return fallback
		}
		if (next === decoded) break
		decoded = next
	}
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u001f\u007f-\u009f\\]/.test(decoded) || decoded.startsWith('//') || !decoded.startsWith('/')) return fallback
	const url = new URL(to, SAFE_BASE)
	if (url.origin !== SAFE_BASE) return fallback
	return url.pathname + url.search + url.hash
}
