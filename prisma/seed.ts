// Demo data for `npm run demo` and the e2e tests. Idempotent: running it twice changes nothing.
// Never run in production (scripts/demo.ts refuses NODE_ENV=production).
import type { PrismaClient } from '../app/generated/prisma/client'
import { hashPassword } from '../app/utils/password.server'

export const DEMO_PASSWORD = 'guardino-demo'
export const DEMO_USERS = [
	{ username: 'admin', role: 'admin', displayName: 'Demo Admin' },
	{ username: 'reseller', role: 'reseller', displayName: 'Demo Reseller' },
	{ username: 'customer', role: 'customer', displayName: 'Demo Customer' },
] as const

export async function seedDemo(prisma: PrismaClient) {
	const passwordHash = await hashPassword(DEMO_PASSWORD)
	for (const u of DEMO_USERS) {
		await prisma.user.upsert({
			where: { username: u.username },
			create: { username: u.username, role: u.role, displayName: u.displayName, passwordHash },
			update: {},
		})
	}
}
