import { expect, type Page } from '@playwright/test'

export const DEMO_PASSWORD = 'guardino-demo'

export async function login(page: Page, username: string, password = DEMO_PASSWORD) {
	await page.goto('/login')
	await page.getByLabel(/username|نام کاربری/i).fill(username)
	await page.getByLabel(/^password$|^رمز عبور$/i).fill(password)
	await page.getByRole('button', { name: /log in|ورود/i }).click()
}

export async function expectNoHorizontalScroll(page: Page) {
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
	expect(overflow).toBeLessThanOrEqual(0)
}
