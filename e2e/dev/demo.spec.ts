// `npm run demo` as a newcomer meets it (dev mode): the login page hydrates, typos never lock the
// printed demo logins, a confirm dialog opens, and the browser console stays free of errors —
// a failed dependency optimisation (504 Outdated Optimize Dep), a CSP violation or a hydration
// mismatch all show up there.
import { expect, test, type Page } from '@playwright/test'

function watchConsole(page: Page) {
	const errors: string[] = []
	page.on('console', (m) => {
		// A wrong password is answered 400 on purpose; the browser reports every 4xx fetch. 5xx count.
		if (m.type() === 'error' && !/status of 4\d\d \(/.test(m.text())) errors.push(m.text())
	})
	page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
	page.on('response', (r) => {
		if (r.status() >= 500) errors.push(`${r.status()} ${r.url()}`)
	})
	return errors
}

/** Remix sets window.__remixRouter when hydration has run. */
const hydrated = (page: Page) => page.waitForFunction(() => Boolean((window as { __remixRouter?: unknown }).__remixRouter))

test('the demo hydrates, forgives typos, opens a confirm dialog, and logs no console errors', async ({ page }) => {
	const errors = watchConsole(page)
	await page.goto('/login')
	await hydrated(page)
	await expect(page.getByTestId('demo-hint')).toBeVisible()

	// A newcomer mistyping the printed password many times is never locked out.
	for (let i = 0; i < 8; i++) {
		await page.getByLabel('Username').fill('reseller')
		await page.getByLabel('Password', { exact: true }).fill(`guardino-dem${i}`)
		await page.getByRole('button', { name: 'Log in' }).click()
		await expect(page.getByRole('alert').filter({ hasText: 'Wrong username or password.' })).toBeVisible()
	}
	await page.getByLabel('Username').fill('reseller')
	await page.getByLabel('Password', { exact: true }).fill('guardino-demo')
	await page.getByRole('button', { name: 'Log in' }).click()
	await expect(page).toHaveURL(/\/reseller$/)

	// A destructive action asks first: the radix dialog only exists once React runs.
	await page.goto('/reseller/customers?q=demo_quota')
	await hydrated(page)
	await page.getByRole('link', { name: 'demo_quota' }).first().click()
	await expect(page.getByRole('heading', { name: 'demo_quota' })).toBeVisible()
	await page.getByRole('button', { name: 'Delete', exact: true }).click()
	const dialog = page.getByRole('alertdialog')
	await expect(dialog).toBeVisible()
	await expect(dialog).toContainText('Delete this customer?')
	await dialog.getByRole('button', { name: 'Cancel' }).click()
	await expect(dialog).toBeHidden()

	expect(errors).toEqual([])
})
