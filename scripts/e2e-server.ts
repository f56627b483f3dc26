// The server the e2e tests drive: the production build, NODE_ENV=production, on a fresh database
// with the demo data and the panel simulators.
import { dropDatabase, ensureDatabase, startEmbeddedPostgres } from './lib/embedded-postgres'
import { migrate } from './lib/database'

process.env.NODE_ENV = 'production'
process.env.SESSION_SECRET ??= 'e2e-session-secret-e2e-session-secret-0123'
process.env.MASTER_KEY ??= Buffer.alloc(32, 9).toString('base64')
process.env.PORT ??= '3100'
// Required in production: /sub links and QR codes are built from it, never from the Host header.
process.env.PUBLIC_URL ??= `http://127.0.0.1:${process.env.PORT}`
process.env.HOST = '127.0.0.1'

// E2E_PG_DIR: runs side by side (each with its own E2E_PG_PORT) must not share a data directory.
const pg = await startEmbeddedPostgres({ dir: process.env.E2E_PG_DIR || '.data/pg-e2e', port: Number(process.env.E2E_PG_PORT || 5441), fast: true })
await dropDatabase(pg.serverUrl, 'guardino_e2e')
await ensureDatabase(pg.serverUrl, 'guardino_e2e')
process.env.DATABASE_URL = pg.url('guardino_e2e')
await migrate()
const { prisma } = await import('~/utils/db.server')
const { seedDemo } = await import('../prisma/seed')
await seedDemo(prisma)
const { startDemoSimulators } = await import('./lib/demo-sims')
const sims = await startDemoSimulators(prisma, { fixedPorts: false, writeTo: '.data/e2e-sims.json' })
// MikroTik accounting: a router e2e/routers.spec.ts connects through the wizard (REST and binary API).
const { startDemoRouter } = await import('./lib/demo-routers')
const routerSim = await startDemoRouter(prisma, { fixedPorts: false, connect: false, writeTo: `.data/e2e-routers-${process.env.PORT}.json` })
const { startServer } = await import('../server/index')
const running = await startServer()
console.log(`e2e server on ${running.url}`)

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
	process.on(signal, async () => {
		await running.stop()
		await sims.stop()
		await routerSim.stop()
		await prisma.$disconnect()
		await pg.stop()
		process.exit(0)
	})
}
