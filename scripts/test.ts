// `npm test`: every test. Unit + integration (vitest, real Postgres), then the production build
// and the e2e suite (Playwright, real Chromium). Finds or gets a browser itself.
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

const only = process.argv[2]
if (only !== 'e2e') run('node_modules/.bin/vitest', ['run'])
if (only !== 'unit') {
	const chromium = findChromium()
	console.log(`Chromium: ${chromium}`)
	run('node_modules/.bin/remix', ['vite:build'])
	run('node_modules/.bin/playwright', ['test'], { CHROMIUM_PATH: chromium })
}
console.log('\n✓ all tests passed')
