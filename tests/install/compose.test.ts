// docker-compose.yml without Docker (none on CI): it parses as YAML, runs the app with the same
// start script as the Dockerfile's CMD, and keeps PostgreSQL 17's data on a named volume.
// `yaml` comes with vite (a transitive dependency, not one of ours): if it ever disappears, add
// it to devDependencies rather than dropping this check.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { parse } from 'yaml'

const ROOT = path.resolve(__dirname, '../..')
const read = (f: string) => readFileSync(path.join(ROOT, f), 'utf8')

interface Compose {
	services: Record<string, { image?: string; build?: unknown; command?: string[]; volumes?: string[]; environment?: Record<string, string>; depends_on?: Record<string, unknown> }>
	volumes: Record<string, unknown>
}

/** The Dockerfile's last CMD, exec form. */
function dockerCmd(): string[] {
	const cmds = [...read('Dockerfile').matchAll(/^CMD\s+(\[.*\])\s*$/gm)]
	expect(cmds.length).toBeGreaterThan(0)
	return JSON.parse(cmds[cmds.length - 1]![1]!) as string[]
}

describe('docker-compose.yml', () => {
	const compose = parse(read('docker-compose.yml'), { strict: true, uniqueKeys: true }) as Compose

	test('the app runs the Dockerfile image with the same start script', () => {
		const app = compose.services.app!
		expect(app.build).toBe('.')
		expect(app.command).toEqual(dockerCmd())
		expect(app.command).toContain('scripts/start.ts')
		// and that script is the one `npm start` runs
		expect(JSON.parse(read('package.json')).scripts.start).toBe(app.command!.join(' '))
		expect(app.environment?.DATABASE_URL).toMatch(/@db:5432\//)
		expect(app.depends_on).toHaveProperty('db')
	})

	test('PostgreSQL 17 keeps its data on a named volume', () => {
		const db = compose.services.db!
		expect(db.image).toBe('postgres:17')
		const [volume, mount] = db.volumes![0]!.split(':')
		expect(mount).toBe('/var/lib/postgresql/data')
		expect(compose.volumes).toHaveProperty(volume!)
	})
})
