// `npm test`: every test. First the canaries prove the runners can report red; then unit +
// integration (vitest, real Postgres), the production build and the e2e suite (Playwright, real
// Chromium). Finds or gets a browser itself.
import { spawnSync } from 'node:child_process'
import { findChromium } from './lib/browser'

function run(cmd: string, args: string[], env: Record<string, string> = {}) {
	console.log(`\n$ ${cmd} ${args.join(' ')}`)
	const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } })
	if (r.status !== 0) {
		console.error(`\n✗ ${cmd} ${args.join(' ')} failed (${r.status ?? r.signal})`)
		process.exit(r.status || 1)
	}
}

/**
 * A runner that exits 0 on a failing test makes every later green meaningless (an exit hook once
 * did exactly that to vitest). Each canary holds one failing test: its runner must exit non-zero
 * AND report that one failure — a crash before any test ran would prove nothing.
 */
function canary(name: string, cmd: string, args: string[], reported: RegExp, env: Record<string, string> = {}) {
	console.log(`\n$ ${cmd} ${args.join(' ')}   (canary: must fail)`)
	const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env, FORCE_COLOR: '0', NO_COLOR: '1' } })
	const out = `${r.stdout}\n${r.stderr}`
	if (r.status === 0 || r.status === null || !reported.test(out)) {
		console.error(out)
		console.error(`\n✗ canary: ${name} ${r.status === 0 ? 'exited 0 on a failing test' : 'did not report its one failing test'} — the test runner cannot be trusted`)
		process.exit(1)
	}
	console.log(`✓ ${name} exits ${r.status} on a failing test`)
}

const only = process.argv[2]
const chromium = only === 'unit' ? '' : findChromium()
if (only !== 'e2e') {
	canary('vitest', 'node_modules/.bin/vitest', ['run', '--config', 'tests/canary/vitest.canary.config.ts'], /Tests\s+1 failed/)
	run('node_modules/.bin/vitest', ['run'])
}
if (only !== 'unit') {
	console.log(`Chromium: ${chromium}`)
	canary('playwright', 'node_modules/.bin/playwright', ['test', '--config', 'e2e-canary/playwright.canary.config.ts'], /1 failed/, { CHROMIUM_PATH: chromium })
	run('node_modules/.bin/remix', ['vite:build'])
	run('node_modules/.bin/playwright', ['test'], { CHROMIUM_PATH: chromium })
	run('node_modules/.bin/playwright', ['test', '--config', 'playwright.dev.config.ts'], { CHROMIUM_PATH: chromium }) // `npm run demo` itself hydrates (dev mode)
}
console.log('\n✓ all tests passed')
