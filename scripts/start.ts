// `npm start`: migrate deploy → worker schema → server (+ worker). Production gives DATABASE_URL;
// without it (a local try of the production build) the embedded database is used.
process.env.NODE_ENV ??= 'production'
const { useDatabase, migrate } = await import('./lib/database')

if (!process.env.DATABASE_URL && process.env.NODE_ENV === 'production' && !process.env.ALLOW_EMBEDDED_DB) {
	console.error('DATABASE_URL is not set. Set it to your PostgreSQL URL (or ALLOW_EMBEDDED_DB=1 to try with the embedded one).')
	process.exit(1)
}
const db = await useDatabase()
const { env } = await import('~/utils/env.server')
try {
	env()
} catch (error) {
	console.error((error as Error).message)
	process.exit(1)
}
await migrate()
const { startServer } = await import('../server/index')
const running = await startServer()
console.log(`Guardino Hub listening on ${running.url}`)

let stopping = false
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
	process.on(signal, async () => {
		if (stopping) return
		stopping = true
		console.log(`${signal}: stopping HTTP and draining the worker…`)
		await running.stop()
		const { prisma } = await import('~/utils/db.server')
		await prisma.$disconnect()
		await db.stop()
		process.exit(0)
	})
}
export {}
