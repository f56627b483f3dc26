// A deliberately failing browser test, run by scripts/test.ts with the real Playwright setup; it
// must make Playwright exit non-zero.
import { expect, test } from '@playwright/test'

test('canary: this browser test must fail', async ({ page }) => {
	await page.setContent('<h1>green</h1>')
	await expect(page.locator('h1')).toHaveText('red', { timeout: 1 })
})
