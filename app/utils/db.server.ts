import { createPgAdapter } from '../../prisma/pg-adapter.ts'
import { PrismaClient } from '../generated/prisma/client.ts'
import { env } from './env.server.ts'

// One client per process (kept on globalThis so Vite's dev reloads do not open new pools).
const g = globalThis as unknown as { __prisma?: PrismaClient }

export const prisma: PrismaClient = (g.__prisma ??= new PrismaClient({
	adapter: createPgAdapter(env().DATABASE_URL, { max: env().DB_POOL_SIZE }),
}))

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0]
