// Each client format, parsed the way its client would and checked field by field against the
// share links it came from. YAML is read with `yaml` 2.x (already in node_modules through vite and
// postcss-load-config; a strict YAML 1.2 parser, test-only — the app writes YAML itself).
import { describe, expect, test } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { renderClientBody } from '~/services/subscription/client-body'
import { parseShareLink, parseShareLinks } from '~/services/subscription/share-links'
import { ALL_LINKS, LINKS, UUID_A, UUID_B } from './fixtures'

type Obj = Record<string, any>

const clash = (meta: boolean) => parseYaml(renderClientBody(ALL_LINKS, meta ? 'clash-meta' : 'clash'), { strict: true, uniqueKeys: true }) as Obj
const singbox = () => JSON.parse(renderClientBody(ALL_LINKS, 'sing-box')) as Obj
const byName = (list: Obj[], key: string) => Object.fromEntries(list.map((p) => [p[key], p]))

describe('share links', () => {
	test('every field the panels write is read', () => {
		expect(parseShareLink(LINKS.reality)).toMatchObject({ protocol: 'vless', name: '🇩🇪 آلمان: Reality #1', server: 'de.example.com', port: 443, uuid: UUID_A, flow: 'xtls-rprx-vision', network: 'tcp', security: 'reality', sni: 'www.speedtest.net', fingerprint: 'chrome', publicKey: 'Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw', shortId: '6ba85179e30d4fc2' })
		expect(parseShareLink(LINKS.vlessWs)).toMatchObject({ network: 'ws', path: '/ws?ed=2048', host: 'cdn.example.com', security: 'tls', alpn: ['h2', 'http/1.1'] })
		expect(parseShareLink(LINKS.vmessWs)).toMatchObject({ protocol: 'vmess', name: 'NL VMess', server: 'nl.example.com', port: 8443, uuid: UUID_A, network: 'ws', path: '/vm', security: 'tls', cipher: 'auto', alterId: 0 })
		expect(parseShareLink(LINKS.vmessGrpc)).toMatchObject({ network: 'grpc', serviceName: 'vm-grpc', security: 'none', port: 2053 })
		expect(parseShareLink(LINKS.trojanGrpc)).toMatchObject({ protocol: 'trojan', password: 'p@ss:word', network: 'grpc', serviceName: 'tr-grpc', security: 'tls' })
		expect(parseShareLink(LINKS.ss)).toMatchObject({ protocol: 'shadowsocks', method: 'chacha20-ietf-poly1305', password: 's3cret', server: 'ss.example.com', port: 1080, name: 'SS' })
		expect(parseShareLink(LINKS.hysteria)).toBeNull()
		expect(parseShareLink('vless://broken')).toBeNull()
		expect(parseShareLink('vmess://not-base64-json')).toBeNull()
	})

	test('equal remarks become unique names', () => {
		const names = parseShareLinks(ALL_LINKS).map((p) => p.name)
		expect(new Set(names).size).toBe(names.length)
		expect(names).toContain('🇩🇪 آلمان: Reality #1 (2)')
	})
})

describe('Clash Meta (mihomo) YAML', () => {
	test('parses; one proxy per mappable link with its transport, TLS and REALITY fields', () => {
		const doc = clash(true)
		const p = byName(doc.proxies, 'name')
		// Everything but hysteria2 and kcp (Clash carries neither).
		expect(doc.proxies).toHaveLength(ALL_LINKS.length - 2)
		expect(p['🇩🇪 آلمان: Reality #1']).toMatchObject({ type: 'vless', server: 'de.example.com', port: 443, uuid: UUID_A, tls: true, servername: 'www.speedtest.net', flow: 'xtls-rprx-vision', 'client-fingerprint': 'chrome', 'reality-opts': { 'public-key': 'Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw', 'short-id': '6ba85179e30d4fc2' } })
		expect(p['CDN WS']).toMatchObject({ type: 'vless', network: 'ws', tls: true, servername: 'cdn.example.com', alpn: ['h2', 'http/1.1'], 'ws-opts': { path: '/ws', headers: { Host: 'cdn.example.com' }, 'max-early-data': 2048, 'early-data-header-name': 'Sec-WebSocket-Protocol' } })
		expect(p['NL VMess']).toMatchObject({ type: 'vmess', uuid: UUID_A, alterId: 0, cipher: 'auto', network: 'ws', tls: true, 'ws-opts': { path: '/vm' } })
		expect(p['FI gRPC']).toMatchObject({ type: 'vmess', network: 'grpc', 'grpc-opts': { 'grpc-service-name': 'vm-grpc' } })
		expect(p['FI gRPC'].tls).toBeUndefined()
		expect(p['Trojan gRPC']).toMatchObject({ type: 'trojan', password: 'p@ss:word', sni: 'tr.example.com', tls: true, network: 'grpc', 'grpc-opts': { 'grpc-service-name': 'tr-grpc' } })
		expect(p.SS).toEqual({ name: 'SS', type: 'ss', server: 'ss.example.com', port: 1080, udp: true, cipher: 'chacha20-ietf-poly1305', password: 's3cret' })
	})

	test('groups name only existing proxies and the rules end in the selector', () => {
		const doc = clash(true)
		const names = new Set([...doc.proxies.map((x: Obj) => x.name), ...doc['proxy-groups'].map((g: Obj) => g.name), 'DIRECT', 'REJECT'])
		for (const g of doc['proxy-groups']) for (const member of g.proxies) expect(names.has(member)).toBe(true)
		expect(doc['proxy-groups'][0]).toMatchObject({ name: 'Proxy', type: 'select' })
		expect(doc['proxy-groups'][1]).toMatchObject({ name: 'Auto', type: 'url-test' })
		expect(doc.rules.at(-1)).toBe('MATCH,Proxy')
		expect(doc.rules.every((r: string) => /^(IP-CIDR6?,[^,]+,DIRECT,no-resolve|MATCH,Proxy)$/.test(r))).toBe(true)
		expect(doc.mode).toBe('rule')
	})

	test('no configs: a valid profile that rejects instead of going direct', () => {
		const doc = parseYaml(renderClientBody([], 'clash-meta'), { strict: true }) as Obj
		expect(doc.proxies).toEqual([])
		expect(doc['proxy-groups']).toEqual([{ name: 'Proxy', type: 'select', proxies: ['REJECT'] }])
	})
})

describe('classic Clash / Stash YAML', () => {
	test('leaves out VLESS and REALITY, which classic Clash cannot read, and keeps the rest', () => {
		const doc = clash(false)
		const types = doc.proxies.map((p: Obj) => p.type)
		expect(types).not.toContain('vless')
		expect(doc.proxies.some((p: Obj) => 'reality-opts' in p || 'client-fingerprint' in p || 'flow' in p)).toBe(false)
		expect(doc.proxies.map((p: Obj) => p.name).sort()).toEqual(['FI gRPC', 'NL VMess', 'SS', 'Trojan gRPC', '🇩🇪 آلمان: Reality #1 (2)'].sort())
	})
})

describe('sing-box JSON', () => {
	test('one outbound per mappable link with tls / reality / transport mapped', () => {
		const doc = singbox()
		const o = byName(doc.outbounds, 'tag')
		expect(o['🇩🇪 آلمان: Reality #1']).toEqual({
			type: 'vless',
			tag: '🇩🇪 آلمان: Reality #1',
			server: 'de.example.com',
			server_port: 443,
			uuid: UUID_A,
			flow: 'xtls-rprx-vision',
			tls: { enabled: true, server_name: 'www.speedtest.net', utls: { enabled: true, fingerprint: 'chrome' }, reality: { enabled: true, public_key: 'Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw', short_id: '6ba85179e30d4fc2' } },
		})
		expect(o['CDN WS']).toMatchObject({ type: 'vless', uuid: UUID_B, tls: { enabled: true, server_name: 'cdn.example.com', alpn: ['h2', 'http/1.1'], utls: { enabled: true, fingerprint: 'firefox' } }, transport: { type: 'ws', path: '/ws', headers: { Host: 'cdn.example.com' }, max_early_data: 2048, early_data_header_name: 'Sec-WebSocket-Protocol' } })
		expect(o['CDN WS'].flow).toBeUndefined()
		expect(o['NL VMess']).toMatchObject({ type: 'vmess', uuid: UUID_A, security: 'auto', alter_id: 0, tls: { enabled: true, server_name: 'nl.example.com' }, transport: { type: 'ws', path: '/vm', headers: { Host: 'nl.example.com' } } })
		expect(o['FI gRPC']).toMatchObject({ type: 'vmess', server_port: 2053, transport: { type: 'grpc', service_name: 'vm-grpc' } })
		expect(o['FI gRPC'].tls).toBeUndefined()
		expect(o['Trojan gRPC']).toMatchObject({ type: 'trojan', password: 'p@ss:word', tls: { enabled: true, server_name: 'tr.example.com' }, transport: { type: 'grpc', service_name: 'tr-grpc' } })
		expect(o.SS).toEqual({ type: 'shadowsocks', tag: 'SS', server: 'ss.example.com', server_port: 1080, method: 'chacha20-ietf-poly1305', password: 's3cret' })
		expect(o.KCP).toBeUndefined()
		expect(o.Hy2).toBeUndefined()
	})

	test('tags are unique, the selector and urltest name only real outbounds, the route ends in the selector', () => {
		const doc = singbox()
		const tags = doc.outbounds.map((o: Obj) => o.tag)
		expect(new Set(tags).size).toBe(tags.length)
		const proxies = doc.outbounds.filter((o: Obj) => ['vless', 'vmess', 'trojan', 'shadowsocks'].includes(o.type)).map((o: Obj) => o.tag)
		expect(proxies).toHaveLength(ALL_LINKS.length - 2)
		const selector = doc.outbounds.find((o: Obj) => o.type === 'selector')
		const urltest = doc.outbounds.find((o: Obj) => o.type === 'urltest')
		expect(urltest.outbounds).toEqual(proxies)
		expect(selector.outbounds).toEqual([urltest.tag, ...proxies])
		expect(doc.route.final).toBe(selector.tag)
		expect(doc.dns.servers.every((s: Obj) => !s.detour || tags.includes(s.detour))).toBe(true)
		expect(doc.inbounds.map((i: Obj) => i.type)).toEqual(['tun', 'mixed'])
	})

	test('no configs: still valid, and the route rejects all traffic', () => {
		const doc = JSON.parse(renderClientBody([], 'sing-box')) as Obj
		expect(doc.outbounds.find((o: Obj) => o.type === 'selector').outbounds).toEqual(['direct'])
		expect(doc.route.rules.at(-1)).toEqual({ network: ['tcp', 'udp'], action: 'reject' })
	})
})

describe('base64 and plain lists', () => {
	test('carry every link untouched, even the ones the structured formats drop', () => {
		expect(Buffer.from(renderClientBody(ALL_LINKS, 'base64'), 'base64').toString().split('\n')).toEqual(ALL_LINKS)
		expect(renderClientBody(ALL_LINKS, 'links').split('\n')).toEqual(ALL_LINKS)
	})
})
