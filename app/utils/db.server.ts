import type pg from 'pg'
import { createPgAdapter, createPool } from '../../prisma/pg-adapter.ts'
import { PrismaClient } from '../generated/prisma/client.ts'
import { env } from './env.server.ts'
import { SqlClient } from './sql.server.ts'

// One pool and one client per process (kept on globalThis so Vite's dev reloads do not open new pools).
const g = globalThis as unknown as { __prisma?: PrismaClient; __pool?: pg.Pool }

/** The process's connections: Prisma's and the raw hot paths' (sql below) — one DB_POOL_SIZE in all. */
export const pool: pg.Pool = (g.__pool ??= createPool(env().DATABASE_URL, { max: env().DB_POOL_SIZE }))

/** Raw SQL without the ORM (utils/sql.server.ts), for the statements every request or purchase runs. */
export const sql = new SqlClient(pool)

export const prisma: PrismaClient = (g.__prisma ??= new PrismaClient({
	adapter: createPgAdapter(pool),
	// Prisma's defaults (2 s to get a pool connection, 5 s per transaction) turn a busy moment into
	// 500s. Transactions are kept short (locks last, one statement per step); these are the bounds
	// for waiting behind others on a loaded machine. Money paths also retry (billing/transaction.server.ts).
	transactionOptions: { maxWait: 10_000, timeout: 20_000 },
}))

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0]
