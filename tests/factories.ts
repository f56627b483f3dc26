import { randomBytes } from 'node:crypto'
import type { Role } from '~/generated/prisma/enums'
import { createSession } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { hashPassword } from '~/utils/password.server'

export const TEST_PASSWORD = 'correct-horse-battery'
let cachedHash: Promise<string> | undefined

export async function createUser(role: Role, overrides: { username?: string; status?: 'active' | 'disabled' } = {}) {
	cachedHash ??= hashPassword(TEST_PASSWORD)
	return prisma.user.create({
		data: { username: overrides.username ?? `${role}_${randomBytes(4).toString('hex')}`, role, status: overrides.status ?? 'active', passwordHash: await cachedHash },
	})
}

/** A logged-in user and the Cookie header that carries the session. */
export async function loginAs(role: Role) {
	const user = await createUser(role)
	const setCookie = await createSession(user.id, new Request('http://localhost/'))
	return { user, cookie: setCookie.split(';')[0]! }
}
