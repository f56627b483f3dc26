// The sing-box profile (JSON) for SFA/SFI/SFM/SFT, Karing and Hiddify: one outbound per proxy,
// a selector ("Proxy") over a urltest ("Auto"), a tun inbound for the VPN and a local mixed port.
//
// Field mapping follows Marzban v0.8.4 app/subscription/singbox.py (`make_outbound`, `tls_config`,
// `transport_config`): tcp + http header → http transport, h2 → http transport with alpn h2,
// `?ed=` in a ws path → max_early_data, REALITY inside tls. sing-box has no kcp or xhttp, so those
// links are left out (singbox.py `add`). The layout targets sing-box 1.12+ (rule actions, typed
// DNS servers with dial fields; the legacy `address` form is gone in 1.14), the line current
// clients ship.
import type { ProxyEndpoint } from './share-links'

export const SELECTOR_TAG = 'Proxy'
const URLTEST_TAG = 'Auto'
const UNSUPPORTED_NETWORKS = new Set(['kcp', 'xhttp', 'splithttp'])

type Json = Record<string, unknown>

/** Drop undefined keys so the JSON carries only what the link said. */
function clean<T extends Json>(o: T): T {
	for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k]
	return o
}

function tls(p: ProxyEndpoint, alpnOverride?: string[]): Json | undefined {
	if (p.security === 'none') return undefined
	// sing-box refuses REALITY without uTLS; chrome is what the panels default to.
	const fingerprint = p.fingerprint ?? (p.security === 'reality' ? 'chrome' : undefined)
	return clean({
		enabled: true,
		server_name: p.sni ?? (p.host && p.security === 'tls' ? p.host : undefined),
		insecure: p.allowInsecure ? true : undefined,
		alpn: alpnOverride ?? p.alpn,
		utls: fingerprint ? { enabled: true, fingerprint } : undefined,
		reality: p.security === 'reality' ? clean({ enabled: true, public_key: p.publicKey, short_id: p.shortId ?? '' }) : undefined,
	})
}

function transport(p: ProxyEndpoint): { transport?: Json; alpn?: string[] } {
	const network = p.network === 'raw' ? 'tcp' : p.network
	if (network === 'tcp') return p.headerType === 'http' ? { transport: clean({ type: 'http', host: p.host ? [p.host] : undefined, path: p.path, method: 'GET' }) } : {}
	if (network === 'ws') {
		const m = p.path?.match(/^(.*)\?ed=(\d+)/)
		return {
			transport: clean({
				type: 'ws',
				path: m ? m[1] || '/' : (p.path ?? '/'),
				headers: p.host ? { Host: p.host } : undefined,
				max_early_data: m ? Number(m[2]) : undefined,
				early_data_header_name: m ? 'Sec-WebSocket-Protocol' : undefined,
			}),
		}
	}
	if (network === 'grpc') return { transport: { type: 'grpc', service_name: p.serviceName ?? '' } }
	if (network === 'httpupgrade') return { transport: clean({ type: 'httpupgrade', host: p.host, path: p.path ?? '/' }) }
	if (network === 'h2' || network === 'http') return { transport: clean({ type: 'http', host: p.host ? [p.host] : undefined, path: p.path }), alpn: network === 'h2' ? ['h2'] : undefined }
	if (network === 'quic') return { transport: { type: 'quic' } }
	return {}
}

function outbound(p: ProxyEndpoint): Json | null {
	if (UNSUPPORTED_NETWORKS.has(p.network)) return null
	const base: Json = { type: p.protocol, tag: p.name, server: p.server, server_port: p.port }
	if (p.protocol === 'shadowsocks') return { ...base, method: p.method, password: p.password }
	const { transport: tr, alpn } = transport(p)
	const credentials =
		p.protocol === 'trojan' ? { password: p.password } : p.protocol === 'vmess' ? { uuid: p.uuid, security: p.cipher ?? 'auto', alter_id: p.alterId ?? 0 } : { uuid: p.uuid }
	// Vision flow only on raw tcp with tls/reality (singbox.py make_outbound).
	const flow = p.protocol === 'vless' && p.flow && !tr && p.security !== 'none' ? p.flow : undefined
	return clean({ ...base, ...credentials, flow, tls: tls(p, alpn), transport: tr })
}

export function renderSingbox(endpoints: readonly ProxyEndpoint[]) {
	const proxies = endpoints.map(outbound).filter((o): o is Json => o !== null)
	const tags = proxies.map((o) => o.tag as string)
	const groups: Json[] = tags.length
		? [
				{ type: 'selector', tag: SELECTOR_TAG, outbounds: [URLTEST_TAG, ...tags], default: URLTEST_TAG, interrupt_exist_connections: true },
				{ type: 'urltest', tag: URLTEST_TAG, outbounds: tags, url: 'https://www.gstatic.com/generate_204', interval: '5m', tolerance: 50 },
			]
		: // A selector needs a member; nothing reaches it because the route rejects all traffic below.
			[{ type: 'selector', tag: SELECTOR_TAG, outbounds: ['direct'] }]
	const config = {
		log: { level: 'warn', timestamp: false },
		dns: {
			servers: [
				{ type: 'tls', tag: 'dns-remote', server: '1.1.1.1', detour: SELECTOR_TAG },
				{ type: 'local', tag: 'dns-local' },
			],
			final: 'dns-remote',
		},
		inbounds: [
			{ type: 'tun', tag: 'tun-in', address: ['172.19.0.1/30', 'fdfe:dcba:9876::1/126'], auto_route: true, strict_route: true, stack: 'mixed' },
			{ type: 'mixed', tag: 'mixed-in', listen: '127.0.0.1', listen_port: 2080 },
		],
		outbounds: [...groups, { type: 'direct', tag: 'direct' }, ...proxies],
		route: {
			rules: [
				{ action: 'sniff' },
				{ protocol: 'dns', action: 'hijack-dns' },
				{ ip_is_private: true, outbound: 'direct' },
				// No configs (disabled, expired): refuse traffic rather than let it go out unprotected.
				...(tags.length ? [] : [{ network: ['tcp', 'udp'], action: 'reject' }]),
			],
			final: SELECTOR_TAG,
			auto_detect_interface: true,
			default_domain_resolver: 'dns-local',
		},
	}
	return JSON.stringify(config)
}
