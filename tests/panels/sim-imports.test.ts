// The simulators stand in for the real panels, so they must be written from the panels' upstream
// behaviour and never from our adapters' code: a simulator that imports the adapter's helpers
// agrees with them by construction (issue 10). Nothing under sim/ may import from app/ or `~/`.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { expect, test } from 'vitest'

const SIM_DIR = resolve(__dirname, '../../sim')
const APP_DIR = resolve(__dirname, '../../app')

function tsFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []))
}

/** Every module specifier: static and type imports, re-exports, dynamic import() and require(). */
export function specifiersOf(source: string): string[] {
	const out: string[] = []
	const patterns = [/\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g]
	for (const re of patterns) for (const m of source.matchAll(re)) out.push(m[1])
	return out
}

export function reachesApp(file: string, specifier: string) {
	if (specifier === '~' || specifier.startsWith('~/')) return true
	if (!specifier.startsWith('.')) return false
	const target = resolve(file, '..', specifier)
	return target === APP_DIR || target.startsWith(APP_DIR + '/')
}

test('the scanner sees every import form and resolves relative paths', () => {
	const fake = join(SIM_DIR, 'x.ts')
	const src = `import a from '../app/a'\nimport type { B } from "~/b"\nexport * from '../app/c'\nimport '../app/d'\nconst e = await import('../app/e')\nimport {\n\tf,\n} from '../app/f'\nimport ok from './base'\nimport node from 'node:fs'`
	const specs = specifiersOf(src)
	expect(specs.filter((s) => reachesApp(fake, s))).toEqual(['../app/a', '~/b', '../app/c', '../app/f', '../app/d', '../app/e'])
	expect(reachesApp(fake, './base')).toBe(false)
	expect(reachesApp(fake, '../application')).toBe(false)
})

test('no simulator imports from app/', () => {
	const files = tsFiles(SIM_DIR)
	expect(files.length).toBeGreaterThan(5)
	const offenders = files.flatMap((f) => specifiersOf(readFileSync(f, 'utf8')).filter((s) => reachesApp(f, s)).map((s) => `${relative(SIM_DIR, f)}: ${s}`))
	expect(offenders).toEqual([])
})
