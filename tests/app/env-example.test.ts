// Every variable the hub reads is documented: in .env.example (with a comment) and in the README's
// Environment table. The env schema's keys are found by watching which keys parseEnv reads; the
// few variables read outside it (backups, npm start, the SQL client) by scanning the code.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { parseEnv } from '~/utils/env.server'

/** Read by the code but not settings of a running hub: tests, benchmarks and the demo script. */
const NOT_FOR_OPERATORS: Record<string, string> = {
	CHROMIUM_PATH: 'scripts/lib/browser.ts finds a browser for the e2e tests',
	DEMO_PG_DIR: '`npm run demo` and the dev-mode e2e check (README, Scripts)',
	DEMO_SIM_PORTS: '`npm run demo` and the dev-mode e2e check (README, Scripts)',
	E2E_PG_DIR: 'the Playwright server script',
	E2E_PG_PORT: 'the Playwright server script',
	PG_STAT_STATEMENTS: 'benchmarks only (docs/benchmarks.md)',
}

const exampleText = readFileSync('.env.example', 'utf8')
const example = [...exampleText.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!)
const readme = readFileSync('README.md', 'utf8')
const envTable = readme.slice(readme.indexOf('## Environment'), readme.indexOf('\n## ', readme.indexOf('## Environment') + 1))
const tableNames = new Set([...envTable.matchAll(/^\| (.+?) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((n) => n[1]!)))

/** The keys the env schema reads: parseEnv over a source that records every key asked of it. */
function schemaKeys() {
	const read = new Set<string>()
	const source = new Proxy({ DATABASE_URL: 'postgres://u:p@localhost:5432/db' } as Record<string, string | undefined>, {
		get: (t, k) => (typeof k === 'string' && read.add(k), Reflect.get(t, k)),
		has: (t, k) => (typeof k === 'string' && read.add(k), Reflect.has(t, k)),
	})
	parseEnv(source)
	return [...read].filter((k) => /^[A-Z][A-Z0-9_]*$/.test(k))
}

function sources(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name)
		if (statSync(path).isDirectory()) return name === 'generated' ? [] : sources(path)
		return /\.(ts|tsx|mjs|js)$/.test(name) ? [path] : []
	})
}

/** Variables read straight from process.env in the app, the worker, the server and the scripts. */
function readOutsideSchema() {
	const names = new Set<string>()
	for (const file of ['app', 'worker', 'server', 'scripts'].flatMap(sources)) {
		for (const m of readFileSync(file, 'utf8').matchAll(/process\.env(?:\.([A-Z][A-Z0-9_]*)|\[['"]([A-Z][A-Z0-9_]*)['"]\])/g)) names.add((m[1] ?? m[2])!)
	}
	return [...names]
}

describe('.env.example and the README document every variable', () => {
	const keys = schemaKeys()

	test('the probe sees the schema', () => {
		// a probe that saw nothing would make the next test pass on an empty list
		expect(keys).toEqual(expect.arrayContaining(['DATABASE_URL', 'WORKER_FAST_CONCURRENCY', 'WORKER_CRON', 'REPORT_RETENTION_DAYS']))
		expect(keys.length).toBeGreaterThanOrEqual(20)
	})

	test('every key of the env schema is in .env.example', () => {
		expect(keys.filter((k) => !example.includes(k))).toEqual([])
	})

	test('every variable read outside the schema is in .env.example, unless it is only for tests', () => {
		const read = readOutsideSchema()
		expect(read).toEqual(expect.arrayContaining(['BACKUP_DIR', 'BACKUP_PASSPHRASE']))
		expect(read.filter((k) => !example.includes(k) && !(k in NOT_FOR_OPERATORS))).toEqual([])
	})

	test('each variable in .env.example has a comment and a row in the README table', () => {
		const lines = exampleText.split('\n')
		const uncommented = example.filter((k) => !lines[lines.findIndex((l) => l.startsWith(`${k}=`)) - 1]?.startsWith('#'))
		// HOST and PORT share one comment-less pair: their names say it all
		expect(uncommented.filter((k) => k !== 'HOST' && k !== 'PORT')).toEqual([])
		expect(example.filter((k) => !tableNames.has(k))).toEqual([])
	})

	test('nothing in .env.example is read by nobody', () => {
		const compose = readFileSync('docker-compose.yml', 'utf8')
		const read = new Set([...keys, ...readOutsideSchema()])
		expect(example.filter((k) => !read.has(k) && !compose.includes(`\${${k}`))).toEqual([])
	})
})
