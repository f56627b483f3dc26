import { expect, type Page } from '@playwright/test'

export const DEMO_PASSWORD = 'guardino-demo'

export async function login(page: Page, username: string, password = DEMO_PASSWORD) {
	await page.goto('/login')
	await page.getByLabel(/username|نام کاربری/i).fill(username)
	await page.getByLabel(/^password$|^رمز عبور$/i).fill(password)
	// Wait for the login's answer (it carries the session cookie): a goto straight after the click
	// aborts the POST (/login.data with JavaScript, /login without), and the next page then
	// bounces to /login?redirectTo=… — what the router and the confirm-dialog specs once met.
	const answered = page.waitForResponse((r) => r.request().method() === 'POST' && /^\/login(\.data)?$/.test(new URL(r.url()).pathname))
	await page.getByRole('button', { name: /log in|ورود/i }).click()
	await answered
}

export async function expectNoHorizontalScroll(page: Page) {
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
	expect(overflow).toBeLessThanOrEqual(0)
}
