// `npm run demo`: embedded PostgreSQL → migrations → demo data → panel simulators → app + worker.
// Everything a newcomer needs, with no other setup. Running it again reuses the data.
if (process.env.NODE_ENV === 'production') {
	console.error('npm run demo seeds demo logins and must not run with NODE_ENV=production.')
	process.exit(1)
}
process.env.NODE_ENV = 'development'
process.env.DEMO_MODE = 'true'
process.env.PORT ??= '3000'

const { useDatabase, migrate } = await import('./lib/database')
// The dev-mode e2e check (playwright.dev.config.ts) runs the demo beside a real one: its own data
// directory and free simulator ports.
const db = await useDatabase({ dir: process.env.DEMO_PG_DIR || '.data/pg' })
await migrate()
const { prisma } = await import('~/utils/db.server')
const { seedDemo, DEMO_USERS, DEMO_PASSWORD } = await import('../prisma/seed')
await seedDemo(prisma)
const { startDemoSimulators } = await import('./lib/demo-sims')
const sims = await startDemoSimulators(prisma, { liveTraffic: true, fixedPorts: process.env.DEMO_SIM_PORTS !== 'random' })
const { startDemoRouter } = await import('./lib/demo-routers')
const routerSim = await startDemoRouter(prisma, { fixedPorts: process.env.DEMO_SIM_PORTS !== 'random' })
const { startServer } = await import('../server/index')
const running = await startServer()

console.log(`
  Guardino Hub demo is running: ${running.url}
  Database: ${db.embedded ? `embedded PostgreSQL (${process.env.DEMO_PG_DIR || '.data/pg'})` : 'DATABASE_URL'}
  Logins (password "${DEMO_PASSWORD}"): ${DEMO_USERS.map((u) => u.username).join(', ')}
  ${sims.summary}
  ${routerSim.summary}
  Ctrl-C stops everything.
`)

let stopping = false
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
	process.on(signal, async () => {
		if (stopping) return
		stopping = true
		await running.stop()
		await sims.stop()
		await routerSim.stop()
		await prisma.$disconnect()
		await db.stop()
		process.exit(0)
	})
}
export {}
