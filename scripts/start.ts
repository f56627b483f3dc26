// `npm start`: migrate deploy → worker schema → server (+ worker). Production gives DATABASE_URL;
// without it (a local try of the production build) ALLOW_EMBEDDED_DB=1 uses the embedded database.
// Empty strings count as unset, so `FOO=` in an env file reads as "missing", not as a value.
// WEB_CONCURRENCY > 1: this process migrates and supervises that many web processes on the one
// port (server/web-processes.ts); each of them runs this script again and only serves.
import cluster from 'node:cluster'

for (const [k, v] of Object.entries(process.env)) if (v === '') delete process.env[k]
process.env.NODE_ENV ??= 'production'

if (cluster.isWorker) {
	// The primary checked the environment, migrated and set DATABASE_URL for us.
	const { serveAsWebProcess } = await import('../server/web-processes')
	const { startServer } = await import('../server/index')
	const { env } = await import('~/utils/env.server')
	await serveAsWebProcess(
		(index) => startServer({ worker: index === 0 && env().WORKER_IN_PROCESS }),
		async () => {
			const { prisma } = await import('~/utils/db.server')
			await prisma.$disconnect()
		},
	)
} else {
	if (!process.env.DATABASE_URL && process.env.NODE_ENV === 'production' && !process.env.ALLOW_EMBEDDED_DB) {
		console.error('Invalid environment variables:\n  DATABASE_URL: is required (or ALLOW_EMBEDDED_DB=1 to try the embedded database)')
		process.exit(1)
	}
	const { parseEnv } = await import('~/utils/env.server')
	const { useDatabase, migrate } = await import('./lib/database')
	const db = await useDatabase()
	let webProcesses: number
	try {
		webProcesses = parseEnv(process.env).WEB_CONCURRENCY
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
	let running: { url: string; stop(): Promise<void> }
	if (webProcesses > 1) {
		const { forkWebProcesses } = await import('../server/web-processes')
		running = await forkWebProcesses(webProcesses).catch(async (error) => {
			console.error((error as Error).message)
			await db.stop()
			process.exit(1)
		})
	} else {
		const { startServer } = await import('../server/index')
		running = await startServer()
	}
	console.log(`Guardino Hub listening on ${running.url}${webProcesses > 1 ? ` (${webProcesses} web processes)` : ''}`)

	let stopping = false
	for (const signal of ['SIGTERM', 'SIGINT'] as const) {
		process.on(signal, async () => {
			if (stopping) return
			stopping = true
			console.log(`${signal}: stopping HTTP and draining the worker…`)
			await running.stop()
			if (webProcesses === 1) {
				const { prisma } = await import('~/utils/db.server')
				await prisma.$disconnect()
			}
			await db.stop()
			process.exit(0)
		})
	}
}
export {}
