// `npm start`: migrate deploy → worker schema → server (+ worker). Production gives DATABASE_URL;
// without it (a local try of the production build) ALLOW_EMBEDDED_DB=1 uses the embedded database.
// Empty strings count as unset, so `FOO=` in an env file reads as "missing", not as a value.
for (const [k, v] of Object.entries(process.env)) if (v === '') delete process.env[k]
process.env.NODE_ENV ??= 'production'

if (!process.env.DATABASE_URL && process.env.NODE_ENV === 'production' && !process.env.ALLOW_EMBEDDED_DB) {
	console.error('Invalid environment variables:\n  DATABASE_URL: is required (or ALLOW_EMBEDDED_DB=1 to try the embedded database)')
	process.exit(1)
}
const { parseEnv } = await import('~/utils/env.server')
const { useDatabase, migrate } = await import('./lib/database')
const db = await useDatabase()
try {
	parseEnv(process.env)
} catch (error) {
	console.error((error as Error).message)
	await db.stop()
	process.exit(1)
}
// an upgrade that brings migrations first takes a backup (npm run restore undoes a bad one)
const { backupBeforeMigrations, recordPreMigrationBackup } = await import('./lib/pre-migration-backup')
const preMigration = await backupBeforeMigrations(db.url)
if (preMigration) console.log(`Backed up before migrating: ${preMigration.file}`)
await migrate()
if (preMigration) await recordPreMigrationBackup(db.url, preMigration)
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
