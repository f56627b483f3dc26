// install.sh without --domain serves the hub over plain http (PUBLIC_URL=http://IP:port): a cookie
// marked Secure and set over http is dropped by browsers, so the admin could never log in. Cookies
// are Secure in production unless PUBLIC_URL says http.
import { describe, expect, test } from 'vitest'
import { secureCookies } from '~/utils/env.server'

describe('secure cookies', () => {
	test('production over https (or behind an unknown public URL) is Secure; over plain http and outside production it is not', () => {
		expect(secureCookies({ NODE_ENV: 'production', PUBLIC_URL: 'https://hub.example.com' })).toBe(true)
		expect(secureCookies({ NODE_ENV: 'production', PUBLIC_URL: undefined })).toBe(true)
		expect(secureCookies({ NODE_ENV: 'production', PUBLIC_URL: 'http://203.0.113.10:3000' })).toBe(false)
		// A loopback origin is one where browsers keep Secure cookies over http (the e2e server).
		expect(secureCookies({ NODE_ENV: 'production', PUBLIC_URL: 'http://127.0.0.1:3100' })).toBe(true)
		expect(secureCookies({ NODE_ENV: 'production', PUBLIC_URL: 'http://localhost:3000' })).toBe(true)
		expect(secureCookies({ NODE_ENV: 'development', PUBLIC_URL: 'https://hub.example.com' })).toBe(false)
		expect(secureCookies({ NODE_ENV: 'test', PUBLIC_URL: undefined })).toBe(false)
	})
})
