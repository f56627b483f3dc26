// RouterOS 7 behaviours the adapters used to get wrong (issue 10): address allocation that only
// avoided the first address of each peer's allowed-address, a usage reset that toggled the peer
// (an outage), and the ownership marker in the comment. Both transports, one simulator.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createRouterOsApiAdapter } from '~/services/panels/routeros-api.server'
import { createRouterOsRestAdapter } from '~/services/panels/routeros-rest.server'
import type { PanelAdapter } from '~/services/panels/types'
import { allocateAddress, intToIpv4, ipv4ToInt, parseCidr, SubnetFullError, usedIpv4Ranges } from '~/services/panels/wireguard'
import { startRouterOsSim, type RouterOsSim } from '../../sim/routeros'

/** A seeded PRNG (mulberry32) so a failure can be replayed from the printed seed. */
function rng(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296
	}
}

describe('allocation avoids every address of every range', () => {
	test('the site-to-site case: 10.66.0.4/30 owns .4–.7', () => {
		const used = usedIpv4Ranges(['10.66.0.2/32', '10.66.0.3/32', '10.66.0.4/30', 'fd00::9/128'])
		expect(allocateAddress('10.66.0.1/24', used)).toBe('10.66.0.8')
		expect(allocateAddress('10.66.0.1/24', usedIpv4Ranges(['10.66.0.0/29, 10.66.0.9/32,garbage,,10.66.0.8']))).toBe('10.66.0.10')
		expect(() => allocateAddress('10.66.0.1/29', usedIpv4Ranges(['0.0.0.0/0']))).toThrow(SubnetFullError)
		expect(allocateAddress('10.66.0.1/24', [], [ipv4ToInt('10.66.0.2')])).toBe('10.66.0.3')
	})

	test.each([1, 2, 3, 4, 5, 6, 7, 8])('random ranges (seed %i): never inside a range, never own/network/broadcast, and the first such', (seed) => {
		const rand = rng(seed)
		const subnet = parseCidr(`10.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${1 + Math.floor(rand() * 200)}/${22 + Math.floor(rand() * 7)}`)
		const cidr = `${intToIpv4(subnet.address)}/${subnet.prefix}`
		const lists: string[] = []
		for (let i = 0; i < 40; i++) {
			const prefix = 24 + Math.floor(rand() * 9)
			const ip = subnet.network + Math.floor(rand() * (subnet.broadcast - subnet.network + 1))
			const entries = [`${intToIpv4(ip)}/${prefix}`]
			if (rand() < 0.3) entries.push(`fd00::${i}/128`)
			if (rand() < 0.3) entries.push(`${intToIpv4(subnet.network + Math.floor(rand() * 64))}/32`)
			lists.push(entries.join(','))
		}
		const own = [subnet.network + 1 + Math.floor(rand() * 8)]
		const taken = (ip: number) => lists.some((l) => l.split(',').some((e) => !e.includes(':') && ip >= parseCidr(e).network && ip <= parseCidr(e).broadcast))
		const bad = (ip: number) => ip <= subnet.network || ip >= subnet.broadcast || ip === subnet.address || own.includes(ip) || taken(ip)
		let expected: number | null = null
		for (let ip = subnet.network + 1; ip < subnet.broadcast; ip++) if (!bad(ip)) { expected = ip; break }
		if (expected === null) return expect(() => allocateAddress(cidr, usedIpv4Ranges(lists), own)).toThrow(SubnetFullError)
		expect(allocateAddress(cidr, usedIpv4Ranges(lists), own)).toBe(intToIpv4(expected))
	})
})

describe('RouterOS adapters (REST and API) against the simulator', () => {
	let sim: RouterOsSim
	let adapters: Array<[string, PanelAdapter]>
	const base = { kind: 'routeros' as const, tls: false, verifyTls: true, username: 'admin', password: 'sim-password', timeoutMs: 2000, options: { wgInterface: 'wg0' } }
	beforeAll(async () => {
		sim = await startRouterOsSim()
		adapters = [
			['rest', createRouterOsRestAdapter({ ...base, transport: 'rest', baseUrl: sim.restUrl })],
			['api', createRouterOsApiAdapter({ ...base, transport: 'api', host: '127.0.0.1', port: sim.apiPort })],
		]
	})
	afterAll(async () => {
		for (const [, a] of adapters) await a.close?.()
		await sim.close()
	})

	test('a new peer never takes an address routed to a site-to-site peer or held by the interface', async () => {
		const iface = sim.state.interfaces.find((i) => i.name === 'wg0')!
		const subnet = parseCidr(iface.address)
		const at = (k: number) => intToIpv4(subnet.network + k)
		// .2 and .3 single peers, .4/30 a site-to-site peer, .9 a second address on the interface.
		const peers = [[`${at(2)}/32`, 'x'], [`${at(3)}/32`, 'y'], [`${at(4)}/30`, 'site-b'], [`fd00::5/128,${at(8)}/32`, 'z']]
		peers.forEach(([addr, comment], i) => {
			sim.state.addPeer({ interface: 'wg0', 'public-key': Buffer.alloc(32, 100 + i).toString('base64'), 'allowed-address': addr, comment })
		})
		sim.state.extraAddresses.push({ address: `${at(9)}/${subnet.prefix}`, interface: 'wg0' })
		const given: string[] = []
		for (const [name, a] of adapters) given.push((await a.createAccount({ username: `alloc_${name}`, dataLimit: null, expireAt: null })).ref.data!.address)
		const forbidden = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => `${at(k)}/32`)
		for (const g of given) expect(forbidden).not.toContain(g)
		expect(given).toEqual([`${at(10)}/32`, `${at(11)}/32`])
	})

	test('resetUsage leaves the peer alone: no write, still enabled, counter untouched', async () => {
		for (const [name, a] of adapters) {
			const acc = await a.createAccount({ username: `reset_${name}`, dataLimit: null, expireAt: null })
			sim.control.addTraffic({ [acc.ref.remoteId!]: 5000 })
			sim.control.resetStats()
			await a.resetUsage(acc.ref)
			const writes = Object.keys(sim.control.stats().byRoute).filter((r) => /set|enable|disable|PATCH|POST/.test(r))
			expect(writes, name).toEqual([])
			expect(await a.getAccount(acc.ref), name).toMatchObject({ status: 'active', usedBytes: 5000n })
		}
	})

	test('the ownership marker is written to the comment and read back on create, get, list and update', async () => {
		for (const [name, a] of adapters) {
			const acc = await a.createAccount({ username: `owned_${name}`, dataLimit: 1024n, expireAt: null, note: 'guardino:77' })
			expect(acc.ownerTag).toBe('guardino:77')
			const updated = await a.updateAccount(acc.ref, { dataLimit: 2048n })
			expect(updated).toMatchObject({ ownerTag: 'guardino:77', dataLimit: 2048n })
			expect((await a.getAccount(acc.ref)).ownerTag).toBe('guardino:77')
			const plain = await a.createAccount({ username: `plain_${name}`, dataLimit: null, expireAt: null })
			expect(plain.ownerTag).toBeNull()
			const page = await a.listAccounts(null, 1000)
			expect(page.accounts.find((x) => x.ref.username === `owned_${name}`)?.ownerTag).toBe('guardino:77')
			expect(page.accounts.find((x) => x.ref.username === `plain_${name}`)?.ownerTag).toBeNull()
		}
		// Someone else's comment that mentions the marker is not ours.
		sim.state.addPeer({ interface: 'wg0', 'public-key': Buffer.alloc(32, 200).toString('base64'), 'allowed-address': '10.200.0.1/32', comment: 'guardino:5 by hand' })
		const [, rest] = adapters[0]
		expect((await rest.listAccounts(null, 1000)).accounts.some((x) => x.ownerTag === 'guardino:5')).toBe(false)
	})
})
