// A request's language (app/utils/i18n.server.ts getLang): the lng cookie first, then the
// Accept-Language header; the answer for a (cookie, header) pair is remembered, so a second
// request with the same pair must get the same language and another pair its own.
import { describe, expect, test } from 'vitest'
import { getLang, langCookie } from '~/utils/i18n.server'

const page = async (headers: Record<string, string>) => getLang(new Request('http://hub.test/reseller', { headers }))

describe('getLang', () => {
	test('the cookie wins over the header, the header over the default, in any order of requests', async () => {
		const faCookie = (await langCookie.serialize('fa')).split(';')[0]!
		const enCookie = (await langCookie.serialize('en')).split(';')[0]!
		for (let round = 0; round < 2; round++) {
			expect(await page({ 'accept-language': 'fa-IR,fa;q=0.9,en;q=0.5' })).toBe('fa')
			expect(await page({ 'accept-language': 'en-US,en;q=0.9' })).toBe('en')
			expect(await page({ 'accept-language': 'de-DE' })).toBe('en')
			expect(await page({})).toBe('en')
			expect(await page({ cookie: faCookie, 'accept-language': 'en-US,en;q=0.9' })).toBe('fa')
			expect(await page({ cookie: `session=abc; ${enCookie}`, 'accept-language': 'fa-IR,fa;q=0.9' })).toBe('en')
			expect(await page({ cookie: 'lng=garbage', 'accept-language': 'fa' })).toBe('fa')
		}
	})
	test('one detection per request', async () => {
		const request = new Request('http://hub.test/', { headers: { 'accept-language': 'fa' } })
		expect(getLang(request)).toBe(getLang(request))
	})
})
