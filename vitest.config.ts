import { defineConfig } from 'vitest/config'
import tsconfigPaths from 'vite-tsconfig-paths'

export default defineConfig({
	plugins: [tsconfigPaths()],
	test: {
		include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx', 'app/**/*.test.ts'],
		globalSetup: ['tests/setup/global-db.ts'],
		setupFiles: ['tests/setup/db-per-file.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		pool: 'forks',
	},
})
