// npm run create-admin -- --username U --password P
import { parseArgs } from 'node:util'
import { z } from 'zod'

const { values } = parseArgs({ options: { username: { type: 'string' }, password: { type: 'string' } } })
const parsed = z
	.object({
		username: z.string().trim().regex(/^[a-zA-Z0-9_.-]{3,32}$/, '--username: 3–32 letters, digits, _ . -'),
		password: z.string().min(10, '--password: at least 10 characters').max(128),
	})
	.safeParse(values)
if (!parsed.success) {
	console.error(parsed.error.issues.map((i) => i.message).join('\n'))
	process.exit(2)
}

const { useDatabase, migrate } = await import('./lib/database')
const db = await useDatabase()
await migrate()
const { prisma } = await import('~/utils/db.server')
const { hashPassword } = await import('~/utils/password.server')
const { audit } = await import('~/utils/audit.server')
const username = parsed.data.username.toLowerCase()
const existing = await prisma.user.findUnique({ where: { username } })
if (existing) {
	console.error(`A user named "${username}" already exists.`)
	process.exitCode = 1
} else {
	const user = await prisma.user.create({ data: { username, role: 'admin', passwordHash: await hashPassword(parsed.data.password) } })
	await audit({ actorId: null, action: 'user.create_admin_cli', entityType: 'user', entityId: user.id, after: { username } })
	console.log(`Admin "${username}" created.`)
}
await prisma.$disconnect()
await db.stop()
