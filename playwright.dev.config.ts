// The newcomer's path: Playwright against `npm run demo` itself (dev mode: Vite, HMR, dependency
// optimisation), not the production build the main config (playwright.config.ts) tests. It has its
// own ports, data directory and free simulator ports, so it runs beside a demo someone has open.
import { defineConfig, devices } from '@playwright/test'
import base from './playwright.config'

const PORT = Number(process.env.E2E_DEV_PORT || 3120)
const PG_PORT = Number(process.env.E2E_DEV_PG_PORT || 5461)

// The browser, its launch flags and the reporter are the main config's; the server is the demo.
export default defineConfig({
	...base,
	testDir: './e2e/dev',
	testIgnore: undefined,
	// Vite compiles each module on first request; the first page of a cold start is slow.
	timeout: 90_000,
	use: { ...base.use, baseURL: `http://127.0.0.1:${PORT}` },
	projects: [{ name: 'demo-dev', use: { ...devices['Desktop Chrome'] } }],
	webServer: {
		command: 'node_modules/.bin/tsx scripts/demo.ts',
		url: `http://127.0.0.1:${PORT}/resources/healthcheck`,
		env: { PORT: String(PORT), EMBEDDED_PG_PORT: String(PG_PORT), DEMO_PG_DIR: '.data/pg-e2e-demo', DEMO_SIM_PORTS: 'random' },
		reuseExistingServer: false,
		timeout: 180_000,
		// The demo stops its simulators and embedded PostgreSQL on SIGTERM.
		gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
		stdout: 'ignore',
		stderr: 'pipe',
	},
})
