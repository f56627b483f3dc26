// MikroTik accounting in the browser (issue 13): the admin runs the wizard against the simulated
// router, imports its peers (the outbound one unchecked), sees usage and a chart, sets a quota in
// auto-disable mode and watches peers get disabled on the router; and the same wizard over the
// binary API with JavaScript off (plain forms: a POST to connect, a GET to pick interfaces).
import { readFileSync } from 'node:fs'
import { expect, test } from '@playwright/test'
import { login } from './fixtures'

const router = () => JSON.parse(readFileSync(`.data/e2e-routers-${process.env.E2E_PORT || 3100}.json`, 'utf8')) as { restUrl: string; apiPort: number; credentials: { username: string; password: string } }

test('wizard, import, usage chart, quota with auto-disable', async ({ page, request }) => {
	test.setTimeout(120_000)
	const r = router()
	await login(page, 'admin')
	// login() returns once the button is clicked; a goto before the answer aborts the POST (and
	// its session cookie), which is why this spec once landed back on the login page.
	await expect(page).toHaveURL(/\/admin$/)
	await page.goto('/admin/routers')
	await page.getByRole('link', { name: 'Connect a router' }).first().click()
	await page.getByLabel(/^name$/i).fill('E2E router')
	await page.getByLabel(/^REST address$/i).fill(r.restUrl)
	await page.getByLabel(/^TLS \(api-ssl\)$/i).uncheck()
	await page.getByLabel(/^RouterOS user$/i).fill(r.credentials.username)
	await page.getByLabel(/^password$/i).fill(r.credentials.password)
	await page.getByRole('button', { name: 'Test and continue' }).click()
	await expect(page.getByTestId('router-facts')).toContainText('hq-router')

	await page.getByLabel('wg-home').check()
	await page.getByLabel('wg-office').check()
	await page.getByRole('button', { name: 'Show their peers' }).click()
	await expect(page.getByLabel('Import branch-tabriz')).not.toBeChecked()
	await expect(page.getByLabel('Import ali-phone')).toBeChecked()
	await page.getByRole('button', { name: 'Import selected peers' }).click()
	await expect(page.getByText('6 peers imported')).toBeVisible()
	await expect(page.getByTestId('peer-card')).toHaveCount(6)

	// Traffic on the router, 50 MiB per peer; the next poll counts it.
	await request.post(`${r.restUrl}/__sim/addTraffic`, { data: { bytes: 50 * 1024 ** 2 } })
	const routerUrl = page.url()
	await page.getByRole('link', { name: 'Router settings' }).click()
	await page.getByLabel(/^Default monthly quota \(GB\)$/).fill('0.04')
	await page.getByLabel(/^Enforcement$/).selectOption('auto_disable')
	await page.getByRole('button', { name: 'Save settings' }).click()
	await expect(page.getByText('Settings saved.')).toBeVisible()

	// Saving polls the router at once; the poll counts the traffic and enforcement disables peers over 40 MiB.
	await expect(async () => {
		await page.goto(routerUrl)
		await expect(page.getByTestId('peer-card').filter({ hasText: 'Disabled (quota)' })).toHaveCount(6)
	}).toPass({ timeout: 60_000 })
	await expect(page.getByTestId('cycle-total')).toContainText('300 MB')
	await expect(page.getByTestId('bar-chart').locator('rect').last()).toHaveAttribute('height', /^[1-9]/)
	await expect(page.getByTestId('top-peers')).toContainText('50 MB')

	await page.getByTestId('peer-card').filter({ hasText: 'ali-phone' }).click()
	await expect(page.getByTestId('peer-actions')).toContainText('quota reached')
	await expect(page.getByTestId('peer-actions')).toContainText('read back: true')
})

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false })

	test('the wizard over the binary API: connect, test, pick interfaces, import (outbound unchecked)', async ({ page }) => {
		test.setTimeout(90_000)
		const r = router()
		await login(page, 'admin')
		await expect(page).toHaveURL(/\/admin$/)
		await page.goto('/admin/routers/new')
		await page.getByLabel(/^name$/i).fill('E2E router over the API')
		await page.getByLabel(/^Binary API/).check()
		await page.getByLabel(/^API host$/).fill('127.0.0.1')
		await page.getByLabel(/^API port$/).fill(String(r.apiPort))
		await page.getByLabel(/^TLS \(api-ssl\)$/i).uncheck()
		await page.getByLabel(/^RouterOS user$/i).fill(r.credentials.username)
		await page.getByLabel(/^password$/i).fill(r.credentials.password)
		await page.getByRole('button', { name: 'Test and continue' }).click()
		await expect(page).toHaveURL(/\/admin\/routers\/\d+\/import$/)
		await expect(page.getByTestId('router-facts')).toContainText('hq-router')
		await expect(page.getByTestId('router-facts')).toContainText('7.')

		// no interface chosen yet: the interfaces, and no peer table
		await expect(page.getByTestId('import-table')).toHaveCount(0)
		await page.getByLabel('wg-home').check()
		await page.getByLabel('wg-office').check()
		await page.getByRole('button', { name: 'Show their peers' }).click()
		await expect(page).toHaveURL(/iface=wg-home&iface=wg-office/)
		await expect(page.getByLabel('Import branch-tabriz')).not.toBeChecked()
		await expect(page.getByLabel('Import ali-phone')).toBeChecked()
		await page.getByRole('button', { name: 'Import selected peers' }).click()
		await expect(page).toHaveURL(/\/admin\/routers\/\d+$/)
		await expect(page.getByText('6 peers imported')).toBeVisible()
		await expect(page.getByTestId('peer-card')).toHaveCount(6)
		await expect(page.getByTestId('peer-card').filter({ hasText: 'branch-tabriz' })).toHaveCount(0)
	})
})
