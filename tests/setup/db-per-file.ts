// Runs before each test file: a fresh database cloned from the migrated template, exposed as
// DATABASE_URL before any app module reads the environment.
import { randomBytes } from 'node:crypto'
import { afterAll, inject } from 'vitest'
import { dropDatabase, ensureDatabase } from '../../scripts/lib/embedded-postgres'

const serverUrl = inject('pgServerUrl')
const name = `test_${randomBytes(6).toString('hex')}`
await ensureDatabase(serverUrl, name, 'guardino_template')
const url = new URL(serverUrl)
url.pathname = `/${name}`
process.env.DATABASE_URL = url.toString()
process.env.NODE_ENV = 'test'

afterAll(async () => {
	const { closeSubscriptionPool } = await import('~/services/subscription.server')
	await closeSubscriptionPool()
	const g = globalThis as { __prisma?: { $disconnect(): Promise<void> } }
	await g.__prisma?.$disconnect()
	delete g.__prisma
	await dropDatabase(serverUrl, name)
})
