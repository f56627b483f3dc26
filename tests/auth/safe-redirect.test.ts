// Open redirects: every trick that makes a browser leave the site, through safeRedirect itself
// and through each route that takes a redirectTo.
import { describe, expect, test } from 'vitest'
import { action as loginAction } from '~/routes/_auth+/login'
import { action as languageAction } from '~/routes/resources+/language'
import { action as preferencesAction } from '~/routes/resources+/preferences'
import { safeRedirect } from '~/utils/auth.server'
import { createUser, TEST_PASSWORD } from '../factories'
import { contextFor, formRequest, settle } from '../helpers'

const ATTACKS = [
	'//evil.example',
	'/\\evil.example',
	'\\\\evil.example',
	'/\t/evil.example',
	'/\n/evil.example',
	'/\r\n/evil.example',
	'/%09/evil.example',
	'/%0d%0a/evil.example',
	'/%0aSet-Cookie:x=1',
	'/%2f%2fevil.example',
	'/%2F/evil.example',
	'%2f%2fevil.example',
	'/%5cevil.example',
	'/%5C%5Cevil.example',
	'/%252f%252fevil.example',
	'/%25%32%66/evil.example',
	'/\u0000/evil.example',
	'/%00',
	'/\u007f/evil.example',
	'/\u0085/evil.example',
	'javascript:alert(1)',
	'JaVaScRiPt:alert(1)',
	'data:text/html,<script>alert(1)</script>',
	'https://evil.example',
	'http:evil.example',
	'//user@evil.example',
	'@evil.example',
	'evil.example',
	' /admin',
	'/%E0%A4%A',
	'',
	'/' + 'a'.repeat(2100),
]

const FINE = [
	['/reseller', '/reseller'],
	['/reseller/customers?q=ali&page=2', '/reseller/customers?q=ali&page=2'],
	['/reseller#wallet', '/reseller#wallet'],
	['/@evil.example', '/@evil.example'],
	['/reseller/../admin', '/admin'],
	['/reseller/customers?q=علی', '/reseller/customers?q=%D8%B9%D9%84%DB%8C'],
] as const

describe('safeRedirect', () => {
	test.each(ATTACKS)('refuses %j', (to) => {
		expect(safeRedirect(to, '/fallback')).toBe('/fallback')
	})
	test.each(FINE)('keeps the same-site path %j', (to, expected) => {
		expect(safeRedirect(to, '/fallback')).toBe(expected)
	})
	test('non-strings fall back', () => {
		expect(safeRedirect(null, '/f')).toBe('/f')
		expect(safeRedirect(undefined, '/f')).toBe('/f')
		expect(safeRedirect(new File(['x'], '/x'), '/f')).toBe('/f')
	})
	test('whatever it returns is a valid Location header', () => {
		for (const to of [...ATTACKS, ...FINE.map(([t]) => t)]) expect(() => new Headers({ Location: safeRedirect(to, '/') })).not.toThrow()
	})
})

describe('routes that take redirectTo', () => {
	const TRICKS = ['/\t/evil.example', '/%09/evil.example', '/\\evil.example', '/%5c%5cevil.example', '/\r\nX: y']

	test.each(TRICKS)('/resources/language with %j goes home', async (redirectTo) => {
		const r = (await settle(() => languageAction({ request: formRequest('/resources/language', { lang: 'fa', redirectTo }), params: {}, context: contextFor() }))) as Response
		expect(r.status).toBe(302)
		expect(r.headers.get('Location')).toBe('/')
	})

	test.each(TRICKS)('/resources/preferences with %j goes home', async (redirectTo) => {
		const r = (await settle(() => preferencesAction({ request: formRequest('/resources/preferences', { theme: 'dark', accent: 'rose', redirectTo }), params: {}, context: contextFor() }))) as Response
		expect(r.status).toBe(302)
		expect(r.headers.get('Location')).toBe('/')
	})

	// The own-area check already stops foreign paths here; CR/LF inside the own area used to reach the Location header (a 500).
	test.each(['/reseller\r\nX-Injected: 1', '/reseller/\n/x', '/reseller%0d%0aX-Injected: 1', ...TRICKS])('/login with %j lands in the own area', async (redirectTo) => {
		const user = await createUser('reseller')
		const r = (await settle(() =>
			loginAction({ request: formRequest(`/login?redirectTo=${encodeURIComponent(redirectTo)}`, { username: user.username, password: TEST_PASSWORD, redirectTo }), params: {}, context: contextFor() }),
		)) as Response
		expect(r.status).toBe(302)
		expect(r.headers.get('Location')).toBe('/reseller')
	})
})
