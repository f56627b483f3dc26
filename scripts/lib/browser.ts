// Finds a Chromium for the e2e tests, in this order: CHROMIUM_PATH, Debian's /usr/bin/chromium,
// Playwright's own browser if installed, `playwright install` where the network allows it, and
// `apt-get install -y chromium` when running as root. Nothing is downloaded outside those paths.
import { execSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

function playwrightBrowser() {
	try {
		const r = spawnSync(process.execPath, ['-e', "console.log(require('playwright-core').chromium.executablePath())"], { encoding: 'utf8' })
		const p = r.stdout.trim()
		return p && existsSync(p) ? p : null
	} catch {
		return null
	}
}

const debian = () => ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ?? null

export function findChromium(log = console.log): string {
	if (process.env.CHROMIUM_PATH) {
		if (existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH
		throw new Error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist`)
	}
	const found = debian() ?? playwrightBrowser()
	if (found) return found
	log('No Chromium found; trying `playwright install chromium`…')
	if (spawnSync('node_modules/.bin/playwright', ['install', 'chromium'], { stdio: 'inherit', timeout: 180_000 }).status === 0) {
		const p = playwrightBrowser()
		if (p) return p
	}
	if (process.getuid?.() === 0) {
		log('Installing Debian chromium with apt-get…')
		execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit', timeout: 600_000 })
		const p = debian()
		if (p) return p
	}
	throw new Error('No Chromium: set CHROMIUM_PATH, install Debian chromium (apt-get install chromium) or run `npx playwright install chromium`.')
}
