// The Clash profile (YAML): proxies, one selector group over an auto (url-test) group, and rules
// that keep private networks direct and send everything else through the selector.
//
// Two dialects, as Marzban v0.8.4 writes them (app/subscription/clash.py `ClashConfiguration` and
// `ClashMetaConfiguration.make_node`): classic Clash (and Stash, which Marzban serves the same
// profile) has no VLESS and no REALITY, so those proxies are left out; Clash Meta (mihomo) gets
// them with `client-fingerprint`, `reality-opts` and `flow`. Transports Clash cannot carry
// (kcp, quic, xhttp/splithttp) are left out too.
import type { ProxyEndpoint } from './share-links'
import { toYaml, type YamlValue } from './yaml'

export const PROXY_GROUP = 'Proxy'
const AUTO_GROUP = 'Auto'
const UNSUPPORTED_NETWORKS = new Set(['kcp', 'quic', 'xhttp', 'splithttp'])

/** `/path?ed=2048` is Xray's early-data hint: Clash wants it as ws-opts fields (clash.py make_node). */
function earlyData(path: string | undefined) {
	const m = path?.match(/^(.*)\?ed=(\d+)/)
	return m ? { path: m[1] || '/', maxEarlyData: Number(m[2]) } : { path, maxEarlyData: undefined }
}

function proxy(p: ProxyEndpoint, meta: boolean): Record<string, YamlValue> | null {
	if (UNSUPPORTED_NETWORKS.has(p.network)) return null
	if (!meta && (p.protocol === 'vless' || p.security === 'reality')) return null
	const base: Record<string, YamlValue> = { name: p.name, type: p.protocol === 'shadowsocks' ? 'ss' : p.protocol, server: p.server, port: p.port, udp: true }
	if (p.protocol === 'shadowsocks') return { ...base, cipher: p.method, password: p.password }

	// tcp + http header is HTTP-disguised tcp; h2 is its own network.
	const network = p.network === 'tcp' && p.headerType === 'http' ? 'http' : p.network === 'raw' ? 'tcp' : p.network
	if (!meta && network === 'httpupgrade') return null
	const node: Record<string, YamlValue> = { ...base }
	if (p.protocol === 'vmess') Object.assign(node, { uuid: p.uuid, alterId: p.alterId ?? 0, cipher: p.cipher ?? 'auto' })
	if (p.protocol === 'vless') node.uuid = p.uuid
	if (p.protocol === 'trojan') node.password = p.password
	if (network !== 'tcp') node.network = network === 'httpupgrade' ? 'ws' : network

	if (p.security !== 'none') {
		node.tls = true
		// Trojan names the server `sni`, the others `servername` (mihomo docs, clash.py).
		if (p.sni) node[p.protocol === 'trojan' ? 'sni' : 'servername'] = p.sni
		if (p.alpn) node.alpn = p.alpn
		if (p.allowInsecure) node['skip-cert-verify'] = true
	}
	if (meta) {
		if (p.flow && (network === 'tcp' || network === 'raw') && p.security !== 'none') node.flow = p.flow
		if (p.fingerprint) node['client-fingerprint'] = p.fingerprint
		if (p.security === 'reality') {
			node['reality-opts'] = { 'public-key': p.publicKey, 'short-id': p.shortId ?? '' }
			// mihomo needs a uTLS fingerprint for REALITY.
			node['client-fingerprint'] ??= 'chrome'
		}
	}

	if (network === 'ws' || network === 'httpupgrade') {
		const { path, maxEarlyData } = earlyData(p.path)
		node['ws-opts'] = {
			path,
			headers: p.host ? { Host: p.host } : undefined,
			'max-early-data': maxEarlyData,
			'early-data-header-name': maxEarlyData ? 'Sec-WebSocket-Protocol' : undefined,
			'v2ray-http-upgrade': network === 'httpupgrade' ? true : undefined,
		}
	} else if (network === 'grpc') {
		node['grpc-opts'] = { 'grpc-service-name': p.serviceName ?? '' }
	} else if (network === 'h2') {
		node['h2-opts'] = { path: p.path, host: p.host ? [p.host] : undefined }
	} else if (network === 'http') {
		node['http-opts'] = { method: 'GET', path: p.path ? [p.path] : undefined, headers: p.host ? { Host: [p.host] } : undefined }
	}
	return node
}

const PRIVATE_RULES = ['IP-CIDR,127.0.0.0/8', 'IP-CIDR,10.0.0.0/8', 'IP-CIDR,172.16.0.0/12', 'IP-CIDR,192.168.0.0/16', 'IP-CIDR,100.64.0.0/10', 'IP-CIDR6,::1/128', 'IP-CIDR6,fc00::/7'].map((r) => `${r},DIRECT,no-resolve`)

export function renderClash(endpoints: readonly ProxyEndpoint[], { meta }: { meta: boolean }) {
	const proxies = endpoints.map((p) => proxy(p, meta)).filter((p): p is Record<string, YamlValue> => p !== null)
	const names = proxies.map((p) => p.name as string)
	// Clash refuses a group with no members: a customer without configs gets REJECT, never DIRECT
	// (traffic must not leave unprotected while the app says "connected").
	const groups: YamlValue[] = names.length
		? [
				{ name: PROXY_GROUP, type: 'select', proxies: [AUTO_GROUP, ...names] },
				{ name: AUTO_GROUP, type: 'url-test', url: 'https://www.gstatic.com/generate_204', interval: 300, tolerance: 50, proxies: names },
			]
		: [{ name: PROXY_GROUP, type: 'select', proxies: ['REJECT'] }]
	return toYaml({
		'mixed-port': 7890,
		'allow-lan': false,
		mode: 'rule',
		'log-level': 'warning',
		ipv6: true,
		proxies,
		'proxy-groups': groups,
		// Some clients fail without a rules list (clash.py: "Some clients rely on rules").
		rules: [...PRIVATE_RULES, `MATCH,${PROXY_GROUP}`],
	})
}
