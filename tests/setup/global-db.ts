// Vitest global setup: one PostgreSQL server for the run (DATABASE_URL's server when given, else
// the embedded one under .data/pg-test) and a migrated template database. Each test file clones
// the template (tests/setup/db-per-file.ts), so files never see each other's rows.
import type { TestProject } from 'vitest/node'
import { dropDatabase, ensureDatabase, scratchServer } from '../../scripts/lib/embedded-postgres'
import { migrate } from '../../scripts/lib/database'

export const TEMPLATE = 'guardino_template'

declare module 'vitest' {
	export interface ProvidedContext {
		pgServerUrl: string
	}
}

export default async function setup(project: TestProject) {
	const { serverUrl, stop } = await scratchServer({ dir: process.env.TEST_PG_DIR || '.data/pg-test', port: Number(process.env.TEST_PG_PORT || 5440) })
	await dropDatabase(serverUrl, TEMPLATE)
	await ensureDatabase(serverUrl, TEMPLATE)
	const templateUrl = new URL(serverUrl)
	templateUrl.pathname = `/${TEMPLATE}`
	await migrate(templateUrl.toString())
	project.provide('pgServerUrl', serverUrl)
	return async () => {
		await stop()
	}
}
