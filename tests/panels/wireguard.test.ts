import { describe, expect, test } from 'vitest'
import { formatHubComment, parseHubComment } from '~/services/panels/routeros-common'
import { gibToBytes, mapWgdMessage } from '~/services/panels/wgdashboard.server'
import {
	allocateAddress,
	deriveWgKeyPair,
	buildWgQuickConfig,
	formatRouterOsDuration,
	formatTimedelta,
	generateWgKeyPair,
	intToIpv4,
	ipv4ToInt,
	isWgKey,
	parseCidr,
	parseRouterOsDuration,
	parseTimedelta,
	parseWgQuickConfig,
	publicKeyFromPrivate,
	SubnetFullError,
	usedIpv4Set,
} from '~/services/panels/wireguard'

describe('keys', () => {
	test('RFC 7748 test vector: public key derived from a known private key', () => {
		const priv = Buffer.from('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a', 'hex')
		const pub = Buffer.from('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a', 'hex')
		expect(publicKeyFromPrivate(priv.toString('base64'))).toBe(pub.toString('base64'))
	})

	test('generated pairs are 32-byte base64 keys whose public half derives from the private', () => {
		const seen = new Set<string>()
		for (let i = 0; i < 20; i++) {
			const pair = generateWgKeyPair()
			expect(isWgKey(pair.privateKey)).toBe(true)
			expect(isWgKey(pair.publicKey)).toBe(true)
			expect(Buffer.from(pair.publicKey, 'base64')).toHaveLength(32)
			expect(publicKeyFromPrivate(pair.privateKey)).toBe(pair.publicKey)
			seen.add(pair.privateKey)
		}
		expect(seen.size).toBe(20)
	})

	test('derived pairs are stable per secret + label, distinct otherwise, clamped, and consistent', () => {
		const a = deriveWgKeyPair('secret', 'wg0/alice')
		expect(deriveWgKeyPair('secret', 'wg0/alice')).toEqual(a)
		expect(deriveWgKeyPair('secret', 'wg0/bob').privateKey).not.toBe(a.privateKey)
		expect(deriveWgKeyPair('other', 'wg0/alice').privateKey).not.toBe(a.privateKey)
		const raw = Buffer.from(a.privateKey, 'base64')
		expect(raw[0] & 7).toBe(0)
		expect(raw[31] & 0xc0).toBe(0x40)
		expect(publicKeyFromPrivate(a.privateKey)).toBe(a.publicKey)
	})

	test('rejects text that is not a key', () => {
		expect(() => publicKeyFromPrivate('abc')).toThrow()
		expect(() => publicKeyFromPrivate(Buffer.alloc(31).toString('base64'))).toThrow()
		expect(isWgKey('abc=')).toBe(false)
	})
})

describe('address allocation', () => {
	test('skips network, own and used addresses', () => {
		expect(allocateAddress('10.66.0.1/24', new Set())).toBe('10.66.0.2')
		expect(allocateAddress('10.66.0.5/24', new Set())).toBe('10.66.0.1')
		const used = usedIpv4Set(['10.66.0.2/32', '10.66.0.3/32,fd00::3/128', undefined, 'garbage'])
		expect(allocateAddress('10.66.0.1/24', used)).toBe('10.66.0.4')
	})

	test('never hands out network, broadcast, own or used addresses, and fills up to an error', () => {
		const cidr = '192.168.7.129/28' // network .128, broadcast .143, own .129
		const used = new Set<number>([ipv4ToInt('192.168.7.133')])
		const given: string[] = []
		for (;;) {
			let ip: string
			try {
				ip = allocateAddress(cidr, used)
			} catch (e) {
				expect(e).toBeInstanceOf(SubnetFullError)
				break
			}
			given.push(ip)
			used.add(ipv4ToInt(ip))
		}
		expect(given).not.toContain('192.168.7.128')
		expect(given).not.toContain('192.168.7.143')
		expect(given).not.toContain('192.168.7.129')
		expect(given).not.toContain('192.168.7.133')
		// 16 addresses - network - broadcast - own - one used
		expect(given).toHaveLength(12)
		expect(new Set(given).size).toBe(12)
	})

	test('a /30 has one peer slot; /31 and /32 none', () => {
		expect(allocateAddress('10.0.0.1/30', new Set())).toBe('10.0.0.2')
		expect(() => allocateAddress('10.0.0.1/30', new Set([ipv4ToInt('10.0.0.2')]))).toThrow(SubnetFullError)
		expect(() => allocateAddress('10.0.0.0/31', new Set())).toThrow(SubnetFullError)
		expect(() => allocateAddress('10.0.0.1/32', new Set())).toThrow(SubnetFullError)
	})

	test('a /16 with 65k used addresses gives the next free one (speed: not a test, see bench)', () => {
		const base = ipv4ToInt('10.20.0.0')
		const list: string[] = []
		for (let i = 1; i <= 100_000 && i < 65_534; i++) list.push(`${intToIpv4(base + i)}/32`)
		const used = usedIpv4Set(list)
		const ip = allocateAddress('10.20.0.1/16', used)
		expect(ip).toBe(intToIpv4(base + list.length + 1))
	})

	test('parseCidr handles wide prefixes without 32-bit overflow', () => {
		expect(parseCidr('200.1.2.3/1')).toMatchObject({ network: ipv4ToInt('128.0.0.0'), broadcast: 2 ** 32 - 1 })
		expect(parseCidr('10.66.1.7/16')).toMatchObject({ network: ipv4ToInt('10.66.0.0'), broadcast: ipv4ToInt('10.66.255.255') })
		expect(() => parseCidr('10.0.0.256/24')).toThrow()
		expect(() => parseCidr('10.0.0.1/33')).toThrow()
	})
})

describe('client config', () => {
	test('builds a wg-quick file that parses back', () => {
		const client = generateWgKeyPair()
		const server = generateWgKeyPair()
		const text = buildWgQuickConfig({
			privateKey: client.privateKey,
			address: '10.66.0.2/32',
			dns: '1.1.1.1',
			serverPublicKey: server.publicKey,
			endpoint: 'vpn.example.com:51820',
			allowedIps: '0.0.0.0/0',
			keepalive: 25,
		})
		const [iface, peer, ...more] = parseWgQuickConfig(text)
		expect(more).toHaveLength(0)
		expect(iface).toEqual({
			name: 'Interface',
			values: { PrivateKey: client.privateKey, Address: '10.66.0.2/32', DNS: '1.1.1.1' },
		})
		expect(peer).toEqual({
			name: 'Peer',
			values: {
				PublicKey: server.publicKey,
				Endpoint: 'vpn.example.com:51820',
				AllowedIPs: '0.0.0.0/0',
				PersistentKeepalive: '25',
			},
		})
		expect(publicKeyFromPrivate(iface.values.PrivateKey)).toBe(client.publicKey)
	})

	test('the parser refuses lines outside a section', () => {
		expect(() => parseWgQuickConfig('PrivateKey = x\n[Interface]\n')).toThrow()
	})
})

describe('durations', () => {
	test('RouterOS', () => {
		expect(parseRouterOsDuration('14s')).toBe(14_000)
		expect(parseRouterOsDuration('1m5s')).toBe(65_000)
		expect(parseRouterOsDuration('2h3m4s')).toBe((2 * 3600 + 3 * 60 + 4) * 1000)
		expect(parseRouterOsDuration('1w2d3h4m5s')).toBe(((9 * 24 + 3) * 3600 + 4 * 60 + 5) * 1000)
		expect(parseRouterOsDuration('1s250ms')).toBe(1250)
		expect(parseRouterOsDuration('900ms')).toBe(900)
		expect(parseRouterOsDuration('2d03:04:05')).toBe((2 * 86400 + 3 * 3600 + 4 * 60 + 5) * 1000)
		expect(parseRouterOsDuration('00:00:14')).toBe(14_000)
		expect(parseRouterOsDuration(undefined)).toBeNull()
		expect(parseRouterOsDuration('soon')).toBeNull()
		expect(parseRouterOsDuration('5x')).toBeNull()
	})

	test('RouterOS round trip', () => {
		for (const ms of [0, 999, 14_000, 65_000, 788_645_250]) {
			expect(parseRouterOsDuration(formatRouterOsDuration(ms))).toBe(ms)
		}
		expect(formatRouterOsDuration(788_645_000)).toBe('1w2d3h4m5s')
	})

	test('Python timedelta', () => {
		expect(parseTimedelta('0:01:23')).toBe(83_000)
		expect(parseTimedelta('1 day, 2:03:04')).toBe((86400 + 7384) * 1000)
		expect(parseTimedelta('3 days, 0:00:01.500000')).toBe((3 * 86400 + 1.5) * 1000)
		expect(parseTimedelta('No Handshake')).toBeNull()
		expect(parseTimedelta('N/A')).toBeNull()
		expect(formatTimedelta((86400 + 7384) * 1000)).toBe('1 day, 2:03:04')
		expect(formatTimedelta(83_000)).toBe('0:01:23')
		expect(parseTimedelta(formatTimedelta(5 * 86_400_000 + 59_000))).toBe(5 * 86_400_000 + 59_000)
	})
})

describe('adapter helpers', () => {
	test('the RouterOS hub comment round-trips and ignores foreign peers', () => {
		const full = { username: 'u_1', dataLimit: 5n * 1024n ** 3n, expireAt: new Date(1_900_000_000_000) }
		expect(formatHubComment(full)).toBe('hub:u_1 limit=5368709120 expire=1900000000')
		expect(parseHubComment(formatHubComment(full))).toEqual({ ...full, owner: null })
		expect(parseHubComment('hub:u_2')).toEqual({ username: 'u_2', owner: null, dataLimit: null, expireAt: null })
		const owned = { ...full, owner: 'guardino:12' }
		expect(formatHubComment(owned)).toBe('hub:u_1 guardino:12 limit=5368709120 expire=1900000000')
		expect(parseHubComment(formatHubComment(owned))).toEqual(owned)
		expect(parseHubComment('hub:u_3 guardino:12x')?.owner).toBeNull()
		expect(parseHubComment('office laptop')).toBeNull()
		expect(parseHubComment(undefined)).toBeNull()
	})

	test('WGDashboard GiB floats convert to exact bytes', () => {
		for (const bytes of [0, 1, 1_000_000, 5 * 1024 ** 3, 2 ** 52 + 1]) {
			expect(gibToBytes(bytes / 1024 ** 3)).toBe(BigInt(bytes))
			// The job Value goes out as text and comes back through Python's float().
			expect(gibToBytes(Number(String(bytes / 1024 ** 3)))).toBe(BigInt(bytes))
		}
		expect(gibToBytes(null)).toBe(0n)
		expect(gibToBytes(-1)).toBe(0n)
	})

	test('WGDashboard status:false messages map to our codes', () => {
		expect(mapWgdMessage('Peer does not exist').code).toBe('not_found')
		expect(mapWgdMessage('Configuration/Peer does not exist').code).toBe('not_found')
		expect(mapWgdMessage('This peer already exist').code).toBe('conflict')
		expect(mapWgdMessage('(sqlite3.IntegrityError) UNIQUE constraint failed: PeerJobs.JobID').code).toBe('conflict')
		expect(mapWgdMessage('Configuration does not exist').code).toBe('rejected')
		expect(mapWgdMessage('This IP is not available: 1.2.3.4/32')).toMatchObject({ code: 'rejected', reason: 'This IP is not available: 1.2.3.4/32' })
		expect(mapWgdMessage(null).code).toBe('rejected')
	})
})
