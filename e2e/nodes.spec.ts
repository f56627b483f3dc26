// The admin adds a node of each kind in the browser (against the simulators), tests the
// connection, edits it and soft-deletes it.
import { readFileSync } from 'node:fs'
import { expect, test, type Page } from '@playwright/test'
import { login } from './fixtures'

const sims = () => JSON.parse(readFileSync('.data/e2e-sims.json', 'utf8'))

async function fill(page: Page, label: RegExp, value: string) {
	await page.getByLabel(label).fill(value)
}

test('admin adds, tests, edits and deletes a node of each kind', async ({ page }) => {
	test.setTimeout(120_000)
	const s = sims()
	const kinds = [
		{ kind: 'marzban', label: 'Marzban', url: s.marzban, user: s.credentials.xray },
		{ kind: 'pasarguard', label: 'PasarGuard', url: s.pasarguard, apiKey: s.credentials.pasarguardApiKey },
		{ kind: 'marzneshin', label: 'Marzneshin', url: s.marzneshin, user: s.credentials.xray },
		{ kind: 'wgdashboard', label: 'WGDashboard', url: s.wgdashboard, apiKey: s.credentials.wgdashboardApiKey },
		{ kind: 'routeros', label: 'MikroTik RouterOS', url: s.routerosRest, user: s.credentials.routeros },
	]
	await login(page, 'admin')
	await expect(page).toHaveURL(/\/admin$/)
	for (const k of kinds) {
		await page.goto('/admin/nodes/new')
		await page.getByRole('link', { name: k.label, exact: true }).click()
		await fill(page, /^name$/i, `E2E ${k.label}`)
		await fill(page, /^panel url$/i, k.url)
		await page.getByLabel(/^use tls$/i).uncheck()
		if (k.user) {
			await fill(page, /^panel username$/i, k.user.username)
			await fill(page, /^panel password$/i, k.user.password)
		}
		if (k.apiKey) await fill(page, /^api key$/i, k.apiKey)
		await page.getByRole('button', { name: 'Test and add' }).click()
		await expect(page.getByText('Node added and connected.')).toBeVisible()
		await expect(page.getByTestId('node-version')).not.toHaveText('–')

		await page.getByRole('button', { name: 'Test connection' }).click()
		await expect(page.getByText(/^Connected: .+ ms\.$/)).toBeVisible()

		await fill(page, /^name$/i, `E2E ${k.label} renamed`)
		await page.getByRole('button', { name: 'Save', exact: true }).click()
		await expect(page.getByText('Node saved.')).toBeVisible()
		await expect(page.getByRole('heading', { name: `E2E ${k.label} renamed` })).toBeVisible()
		// the password field never comes back filled
		if (k.user) await expect(page.getByLabel(/^panel password$/i)).toHaveValue('')
	}
	await page.goto('/admin/nodes?q=E2E')
	await expect(page.getByRole('link', { name: /E2E .* renamed/ })).toHaveCount(5)
	await expect(page.getByText('Healthy')).toHaveCount(5)

	// soft delete one, with the confirm dialog
	await page.getByRole('link', { name: 'E2E Marzban renamed' }).click()
	await page.getByRole('button', { name: 'Delete node' }).click()
	await page.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click()
	await expect(page.getByText('Node deleted.')).toBeVisible()
	await page.goto('/admin/nodes?q=E2E')
	await expect(page.getByRole('link', { name: /E2E .* renamed/ })).toHaveCount(4)
})

test('a wrong password shows a translated error and saves nothing', async ({ page }) => {
	const s = sims()
	await login(page, 'admin')
	await expect(page).toHaveURL(/\/admin$/)
	await page.goto('/admin/nodes/new?kind=marzban')
	await fill(page, /^name$/i, 'Wrong creds')
	await fill(page, /^panel url$/i, s.marzban)
	await page.getByLabel(/^use tls$/i).uncheck()
	await fill(page, /^panel username$/i, 'admin')
	await fill(page, /^panel password$/i, 'not-it')
	await page.getByRole('button', { name: 'Test and add' }).click()
	await expect(page.getByText('The panel refused the credentials.')).toBeVisible()
	await page.goto('/admin/nodes?q=Wrong')
	await expect(page.getByRole('link', { name: 'Wrong creds' })).toHaveCount(0)
})
