// End users (role customer): registration, the billing profile, and the admin's disable switch.
// A duplicate username / phone / email is a field error, also when two registrations race (the
// unique index decides, and the loser gets the same error).
import { audit } from '~/utils/audit.server'
import { prisma } from '~/utils/db.server'
import { hashPassword } from '~/utils/password.server'
import type { ProfileForm, RegisterForm } from './end-user-form'

type Taken = Partial<Record<'username' | 'phone' | 'email', string[]>>
export type RegisterResult = { ok: true; user: { id: number; username: string; role: 'customer'; displayName: string | null } } | { ok: false; fieldErrors: Taken }

const TAKEN = { username: 'register.errors.usernameTaken', phone: 'register.errors.phoneTaken', email: 'register.errors.emailTaken' } as const

async function takenFields(v: { username?: string; phone: string | null; email: string | null }, exceptUserId?: number): Promise<Taken> {
	const or = [...(v.username ? [{ username: v.username }] : []), ...(v.phone ? [{ phone: v.phone }] : []), ...(v.email ? [{ email: v.email }] : [])]
	if (!or.length) return {}
	const rows = await prisma.user.findMany({ where: { OR: or, ...(exceptUserId ? { id: { not: exceptUserId } } : {}) }, select: { username: true, phone: true, email: true } })
	const out: Taken = {}
	for (const r of rows) {
		if (v.username && r.username === v.username) out.username = [TAKEN.username]
		if (v.phone && r.phone === v.phone) out.phone = [TAKEN.phone]
		if (v.email && r.email === v.email) out.email = [TAKEN.email]
	}
	return out
}

/** Which unique index a violation names (Postgres puts the constraint in the message). */
function violatedField(e: unknown): keyof typeof TAKEN | null {
	const text = `${(e as { message?: string })?.message ?? ''} ${JSON.stringify((e as { meta?: unknown })?.meta ?? {})}`
	if (!/unique/i.test(text) && (e as { code?: string })?.code !== 'P2002') return null
	for (const f of ['phone', 'email', 'username'] as const) if (text.includes(f)) return f
	return 'username'
}

export async function registerEndUser(form: RegisterForm, ip: string | null): Promise<RegisterResult> {
	const taken = await takenFields(form)
	if (Object.keys(taken).length) return { ok: false, fieldErrors: taken }
	const passwordHash = await hashPassword(form.password)
	try {
		const user = await prisma.$transaction(async (tx) => {
			const u = await tx.user.create({ data: { username: form.username, passwordHash, role: 'customer', phone: form.phone, email: form.email }, select: { id: true, username: true, displayName: true } })
			await audit({ actorId: u.id, action: 'user.register', entityType: 'user', entityId: u.id, after: { username: u.username, phone: Boolean(form.phone), email: Boolean(form.email) }, ip }, tx)
			return u
		})
		return { ok: true, user: { ...user, role: 'customer' } }
	} catch (e) {
		const field = violatedField(e)
		if (!field) throw e
		return { ok: false, fieldErrors: { [field]: [TAKEN[field]] } }
	}
}

export function profileOf(userId: number) {
	return prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { username: true, displayName: true, phone: true, email: true, billingName: true, billingAddress: true } })
}

export async function saveProfile(userId: number, form: ProfileForm): Promise<{ ok: true } | { ok: false; fieldErrors: Taken }> {
	const taken = await takenFields({ phone: form.phone, email: form.email }, userId)
	if (Object.keys(taken).length) return { ok: false, fieldErrors: taken }
	const data = { displayName: form.displayName || null, phone: form.phone, email: form.email, billingName: form.billingName || null, billingAddress: form.billingAddress || null }
	try {
		await prisma.$transaction(async (tx) => {
			const before = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { displayName: true, phone: true, email: true, billingName: true, billingAddress: true } })
			// Saving the same values is not an event: no write, no audit row.
			if ((Object.keys(data) as Array<keyof typeof data>).every((k) => before[k] === data[k])) return
			await tx.user.update({ where: { id: userId }, data })
			await audit({ actorId: userId, action: 'user.profile', entityType: 'user', entityId: userId, before, after: data }, tx)
		})
		return { ok: true }
	} catch (e) {
		const field = violatedField(e)
		if (!field || field === 'username') throw e
		return { ok: false, fieldErrors: { [field]: [TAKEN[field]] } }
	}
}

/**
 * The admin's switch for a login (end users included). Disabling ends every session at once, so
 * the user is out on his next request, not when his cookie expires. Admins cannot disable themselves.
 */
export async function setUserStatus(userId: number, status: 'active' | 'disabled', actorId: number) {
	if (userId === actorId) return false
	return prisma.$transaction(async (tx) => {
		const { count } = await tx.user.updateMany({ where: { id: userId, status: status === 'active' ? 'disabled' : 'active' }, data: { status } })
		if (!count) return false
		if (status === 'disabled') await tx.session.deleteMany({ where: { userId } })
		await audit({ actorId, action: status === 'disabled' ? 'user.disable' : 'user.enable', entityType: 'user', entityId: userId, before: { status: status === 'active' ? 'disabled' : 'active' }, after: { status } }, tx)
		return true
	})
}
