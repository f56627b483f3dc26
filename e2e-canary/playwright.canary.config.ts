// The real Playwright config (browser, launch flags, reporter) without the web server, pointed at
// the canary only.
import { defineConfig } from '@playwright/test'
import base from '../playwright.config'

export default defineConfig({ ...base, webServer: undefined, testDir: '.', testMatch: 'red.canary.ts' })
