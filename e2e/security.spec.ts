// Against the production build: the CSP nonce reaches every inline script Remix renders (and the
// page still hydrates without a single CSP violation), headers on pages, redirects and .data,
// Secure cookies, and public/ reachable without logging in.
import { expect, test } from '@playwright/test'
import { login } from './fixtures'

test('the login page: one nonce in the CSP and on every script, hydrated, no console errors', async ({ page, request }) => {
	const res = await request.get('/login')
	const csp = res.headers()['content-security-policy']!
	const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
	expect(nonce).toBeTruthy()
	expect(csp).toContain("frame-ancestors 'none'")
	expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/)
	const html = await res.text()
	const scripts = html.match(/<script\b[^>]*>/g) ?? []
	expect(scripts.length).toBeGreaterThan(0)
	for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`)
	expect(res.headers()['strict-transport-security']).toMatch(/max-age=/)
	expect(res.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)

	const errors: string[] = []
	page.on('console', (m) => {
		if (m.type() === 'error') errors.push(m.text())
	})
	page.on('pageerror', (e) => errors.push(e.message))
	await page.goto('/login')
	await page.waitForFunction(() => Boolean((window as { __remixRouter?: unknown }).__remixRouter))
	await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', '/site.webmanifest')
	expect(errors).toEqual([])
})

test('signed-in pages and .data are never cached; redirects carry the headers too', async ({ page, request }) => {
	const redirect = await request.get('/admin', { maxRedirects: 0 })
	expect(redirect.status()).toBe(302)
	expect(redirect.headers()['x-content-type-options']).toBe('nosniff')
	expect(redirect.headers()['content-security-policy']).toContain("frame-ancestors 'none'")

	await login(page, 'reseller')
	await expect(page).toHaveURL(/\/reseller$/)
	const [dataResponse] = await Promise.all([page.waitForResponse((r) => r.url().includes('.data')), page.getByRole('navigation', { name: 'Reseller' }).last().getByRole('link', { name: 'New' }).click()])
	expect(dataResponse.headers()['cache-control']).toBe('no-store')
	expect(dataResponse.headers()['x-content-type-options']).toBe('nosniff')
	const pageResponse = await page.goto('/reseller')
	expect(pageResponse!.headers()['cache-control']).toBe('no-store')
	const cookies = await page.context().cookies()
	for (const name of ['__session', '__device']) expect(cookies.find((c) => c.name === name)?.secure, name).toBe(true)
})

test('the language cookie is Secure in production', async ({ request }) => {
	const res = await request.post('/resources/language', { form: { lang: 'fa', redirectTo: '/login' }, maxRedirects: 0 })
	expect(res.status()).toBe(302)
	expect(res.headers()['set-cookie']).toMatch(/lng=.*;\s*Secure/i)
})

test('public/: robots, manifest and icons without logging in', async ({ request }) => {
	const robots = await request.get('/robots.txt')
	expect(robots.status()).toBe(200)
	const text = await robots.text()
	for (const path of ['/admin', '/reseller', '/account', '/sub/', '/login']) expect(text).toContain(`Disallow: ${path}`)
	expect(text).not.toMatch(/^Disallow: \/$/m)

	const manifest = await request.get('/site.webmanifest')
	expect(manifest.status()).toBe(200)
	const m = (await manifest.json()) as { start_url: string; display: string; icons: Array<{ src: string; sizes: string }> }
	expect(m).toMatchObject({ start_url: '/reseller', display: 'standalone' })
	for (const icon of m.icons) {
		const r = await request.get(icon.src)
		expect(r.status(), icon.src).toBe(200)
		expect(r.headers()['content-type']).toMatch(/^image\//)
	}
	for (const path of ['/favicon.ico', '/favicon.svg', '/apple-touch-icon.png']) expect((await request.get(path)).status(), path).toBe(200)
})
