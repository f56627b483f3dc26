// The real vitest config (global Postgres setup, per-file database) pointed at the canary only.
// (Not mergeConfig: it concatenates arrays, so the canary's include would add to the suite's.)
import { defineConfig } from 'vitest/config'
import base from '../../vitest.config'

export default defineConfig({ ...base, test: { ...base.test, include: ['tests/canary/red.canary.ts'] } })
