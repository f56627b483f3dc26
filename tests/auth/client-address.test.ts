// Whose address a login is counted on: the socket's, unless TRUST_PROXY says a proxy is in front.
import { describe, expect, test } from 'vitest'
import { resolveClientAddress } from '~/utils/request.server'

const headers = (h: Record<string, string>) => (name: string) => h[name]

describe('resolveClientAddress', () => {
	const forged = headers({ 'x-forwarded-for': '1.1.1.1', 'fly-client-ip': '2.2.2.2', 'x-real-ip': '3.3.3.3' })

	test('without a trusted proxy every header is the client talking: the socket decides', () => {
		expect(resolveClientAddress('203.0.113.5', forged, false)).toBe('203.0.113.5')
		expect(resolveClientAddress('::ffff:203.0.113.5', forged, false)).toBe('203.0.113.5')
		expect(resolveClientAddress('2001:db8::1', forged, false)).toBe('2001:db8::1')
	})

	test('with N proxies, the N-th X-Forwarded-For entry from the right (what the client prepends is ignored)', () => {
		const xff = headers({ 'x-forwarded-for': '6.6.6.6, 198.51.100.7, 10.0.0.2' })
		expect(resolveClientAddress('10.0.0.1', xff, 1)).toBe('10.0.0.2')
		expect(resolveClientAddress('10.0.0.1', xff, 2)).toBe('198.51.100.7')
		expect(resolveClientAddress('10.0.0.1', headers({ 'x-forwarded-for': '198.51.100.7' }), 2)).toBe('198.51.100.7')
		expect(resolveClientAddress('10.0.0.1', headers({}), 1)).toBe('10.0.0.1')
		expect(resolveClientAddress('10.0.0.1', headers({ 'x-forwarded-for': 'not-an-ip' }), 1)).toBe('10.0.0.1')
	})

	test('on Fly, Fly-Client-IP (set by Fly’s edge) and nothing else', () => {
		expect(resolveClientAddress('172.16.0.1', forged, 'fly')).toBe('2.2.2.2')
		expect(resolveClientAddress('172.16.0.1', headers({ 'x-forwarded-for': '1.1.1.1' }), 'fly')).toBe('172.16.0.1')
	})
})
