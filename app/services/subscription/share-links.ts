// Share links (vless://, vmess://, trojan://, ss://) read into one neutral shape, so the Clash and
// sing-box writers map fields once. The query keys are the ones the Xray panels write: Marzban
// v0.8.4 app/subscription/v2ray.py `V2rayShareLink.vless/trojan/vmess/shadowsocks` (PasarGuard and
// Marzneshin keep the same keys). A link this file cannot read is left out of the structured
// formats — it still reaches base64 clients untouched.

export type Protocol = 'vless' | 'vmess' | 'trojan' | 'shadowsocks'

export interface ProxyEndpoint {
	protocol: Protocol
	/** The link's remark (#fragment / vmess `ps`): the name clients show. */
	name: string
	server: string
	port: number
	/** vless / vmess */
	uuid?: string
	/** trojan / shadowsocks */
	password?: string
	/** shadowsocks cipher */
	method?: string
	/** vmess `scy` (cipher), default auto */
	cipher?: string
	alterId?: number
	flow?: string
	/** tcp | ws | grpc | http | h2 | httpupgrade | kcp | quic | xhttp | splithttp … */
	network: string
	/** tcp header type (`http` turns tcp into an HTTP-disguised transport) */
	headerType?: string
	path?: string
	host?: string
	serviceName?: string
	security: 'none' | 'tls' | 'reality'
	sni?: string
	fingerprint?: string
	alpn?: string[]
	publicKey?: string
	shortId?: string
	allowInsecure?: boolean
}

const nonEmpty = (v: string | null | undefined) => (v == null || v === '' ? undefined : v)

function security(v: string | null | undefined, fallback: ProxyEndpoint['security']): ProxyEndpoint['security'] {
	if (v === 'tls' || v === 'reality') return v
	if (v === 'none' || v === '') return 'none'
	return fallback
}

function splitAlpn(v: string | null | undefined) {
	const list = (v ?? '').split(',').map((s) => s.trim()).filter(Boolean)
	return list.length ? list : undefined
}

const truthy = (v: string | null | undefined) => v === '1' || v === 'true'

function decodeBase64(s: string) {
	const normal = s.replace(/-/g, '+').replace(/_/g, '/')
	return Buffer.from(normal, 'base64').toString('utf8')
}

function port(v: string | number | undefined) {
	const n = Number(v)
	return Number.isInteger(n) && n > 0 && n < 65536 ? n : null
}

function remark(url: URL) {
	try {
		return decodeURIComponent(url.hash.slice(1))
	} catch {
		return url.hash.slice(1)
	}
}

/** vless:// and trojan:// share one URI shape: credential@host:port?transport+tls#remark. */
function uriLink(link: string, protocol: 'vless' | 'trojan'): ProxyEndpoint | null {
	const url = new URL(link)
	const p = port(url.port)
	const credential = decodeURIComponent(url.username)
	if (!p || !url.hostname || !credential) return null
	const q = url.searchParams
	const network = q.get('type') || 'tcp'
	return {
		protocol,
		name: remark(url) || `${url.hostname}:${p}`,
		server: url.hostname.replace(/^\[(.*)\]$/, '$1'),
		port: p,
		...(protocol === 'vless' ? { uuid: credential } : { password: credential }),
		flow: nonEmpty(q.get('flow')),
		network,
		headerType: nonEmpty(q.get('headerType')),
		path: nonEmpty(q.get('path')),
		host: nonEmpty(q.get('host')),
		serviceName: nonEmpty(q.get('serviceName')) ?? (network === 'grpc' ? nonEmpty(q.get('path')) : undefined),
		// Trojan is TLS unless the link says otherwise (Marzban writes security= on every link).
		security: security(q.get('security'), protocol === 'trojan' ? 'tls' : 'none'),
		sni: nonEmpty(q.get('sni')) ?? nonEmpty(q.get('peer')),
		fingerprint: nonEmpty(q.get('fp')),
		alpn: splitAlpn(q.get('alpn')),
		publicKey: nonEmpty(q.get('pbk')),
		shortId: q.get('sid') ?? undefined,
		allowInsecure: truthy(q.get('allowInsecure')) || undefined,
	}
}

/** vmess:// = base64 of the v2rayN JSON (`v`, `ps`, `add`, `port`, `id`, `aid`, `scy`, `net`, `type`, `host`, `path`, `tls`, `sni`, `alpn`, `fp`). */
function vmessLink(link: string): ProxyEndpoint | null {
	const raw = JSON.parse(decodeBase64(link.slice('vmess://'.length))) as Record<string, unknown>
	const str = (k: string) => (raw[k] == null ? undefined : nonEmpty(String(raw[k])))
	const p = port(raw.port as string | number)
	const server = str('add')
	const uuid = str('id')
	if (!p || !server || !uuid) return null
	const network = str('net') ?? 'tcp'
	return {
		protocol: 'vmess',
		name: str('ps') ?? `${server}:${p}`,
		server,
		port: p,
		uuid,
		alterId: Number(raw.aid ?? 0) || 0,
		cipher: str('scy') ?? 'auto',
		network,
		headerType: str('type') === 'none' ? undefined : str('type'),
		path: str('path'),
		host: str('host'),
		serviceName: network === 'grpc' ? str('path') : undefined,
		security: security(str('tls') ?? 'none', 'none'),
		sni: str('sni'),
		fingerprint: str('fp'),
		alpn: splitAlpn(str('alpn')),
		allowInsecure: raw.allowInsecure === true || raw.allowInsecure === 'true' || raw.allowInsecure === 1 || undefined,
	}
}

/** ss:// in SIP002 (`ss://base64(method:password)@host:port#remark`) or the legacy whole-base64 form. */
function shadowsocksLink(link: string): ProxyEndpoint | null {
	const body = link.slice('ss://'.length)
	const hashAt = body.indexOf('#')
	const name = hashAt >= 0 ? safeDecode(body.slice(hashAt + 1)) : ''
	const main = (hashAt >= 0 ? body.slice(0, hashAt) : body).split('?')[0]!
	let userinfo: string
	let hostport: string
	const at = main.lastIndexOf('@')
	if (at >= 0) {
		const user = safeDecode(main.slice(0, at))
		userinfo = user.includes(':') ? user : decodeBase64(user)
		hostport = main.slice(at + 1)
	} else {
		const whole = decodeBase64(main)
		const i = whole.lastIndexOf('@')
		if (i < 0) return null
		userinfo = whole.slice(0, i)
		hostport = whole.slice(i + 1)
	}
	const colon = userinfo.indexOf(':')
	const hp = hostport.match(/^\[?([^\]]+?)\]?:(\d+)\/?$/)
	if (colon <= 0 || !hp) return null
	const p = port(hp[2])
	if (!p) return null
	return { protocol: 'shadowsocks', name: name || `${hp[1]}:${p}`, server: hp[1]!, port: p, method: userinfo.slice(0, colon), password: userinfo.slice(colon + 1), network: 'tcp', security: 'none' }
}

function safeDecode(s: string) {
	try {
		return decodeURIComponent(s)
	} catch {
		return s
	}
}

/** One link → endpoint, or null for a scheme or shape we do not map (hysteria2://, a broken link). */
export function parseShareLink(link: string): ProxyEndpoint | null {
	try {
		if (link.startsWith('vless://')) return uriLink(link, 'vless')
		if (link.startsWith('trojan://')) return uriLink(link, 'trojan')
		if (link.startsWith('vmess://')) return vmessLink(link)
		if (link.startsWith('ss://')) return shadowsocksLink(link)
	} catch {
		// A malformed link from a panel must not break the whole subscription.
	}
	return null
}

/**
 * Every readable link, with names made unique the way Marzban does (`name (2)`, `name (3)` —
 * app/subscription/clash.py `_remark_validation`): Clash groups and sing-box selectors refer to
 * proxies by name, so two equal names would break the config.
 */
export function parseShareLinks(links: readonly string[]): ProxyEndpoint[] {
	const seen = new Set<string>()
	const out: ProxyEndpoint[] = []
	for (const link of links) {
		const p = parseShareLink(link)
		if (!p) continue
		let name = p.name
		for (let c = 2; seen.has(name); c++) name = `${p.name} (${c})`
		seen.add(name)
		out.push({ ...p, name })
	}
	return out
}
