// Installs or upgrades graphile-worker's own schema (idempotent). Kept apart from the runner so
// scripts can call it before the app's environment is set up.
import { Logger, runMigrations } from 'graphile-worker'

export const quietLogger = (debug = false) =>
	new Logger(() => (level: string, message: string) => {
		// graphile-worker logs every job at info; keep warnings and errors unless debugging.
		if (level === 'error' || level === 'warning' || debug) console.log(`[worker:${level}] ${message}`)
	})

export async function migrateWorkerSchema(connectionString: string) {
	await runMigrations({ connectionString, logger: quietLogger() })
}
