// Which body a VPN client gets from /sub/{token}: an explicit `?format=` wins, else its
// User-Agent decides, else the base64 share-link list (what every client understands).
//
// The User-Agent rules: Marzban v0.8.4's, in its order (app/routers/subscription.py
// `user_subscription`), widened with PasarGuard's default `subscription.rules`
// (app/db/migrations/versions/9af04c077ede_init_settings.py: more mihomo GUIs — ClashX Meta,
// clash-nyanpasu, FlClashX, Koala-Clash — and any UA naming sing-box). Each is anchored at the
// start, which matters: Hiddify sends "HiddifyNext/2.x (android) like ClashMeta v2ray sing-box",
// so it must not be caught by the Clash Meta rule, and reaches the sing-box one. PasarGuard's
// `.*[Ss]ing[\-b]?ox.*` misses "sing-box" itself ("-b" is two characters); `sing-?box` is meant.

export const FORMATS = ['base64', 'links', 'clash', 'clash-meta', 'sing-box'] as const
export type ClientFormat = (typeof FORMATS)[number]

const UA_RULES: Array<[RegExp, ClientFormat]> = [
	[/^([Cc]lash-verge|[Cc]lash[-.]?[Mm]eta|[Ff][Ll][Cc]lash|[Mm]ihomo|FlClashX?|Flowvy|[Cc]lash-nyanpasu|[Cc]lashX [Mm]eta|[Kk]oala-[Cc]lash|prizrak-box)/, 'clash-meta'],
	[/^([Cc]lash|[Ss]tash)/, 'clash'],
	[/^(SFA|SFI|SFM|SFT|[Kk]aring|[Hh]iddify[Nn]ext|[Ii]n[Hh]ive)|[Ss]ing-?[Bb]ox/, 'sing-box'],
]

export function formatForUserAgent(userAgent: string | null | undefined): ClientFormat {
	const ua = userAgent ?? ''
	for (const [re, format] of UA_RULES) if (re.test(ua)) return format
	return 'base64'
}

/**
 * `?format=` names, Marzban's (`/sub/{token}/{client_type}`: sing-box, clash-meta, clash, v2ray)
 * and PasarGuard's (sing_box, clash_meta, links, links_base64) both accepted, so a link copied
 * from either panel's docs works here. Unknown names → null (the caller answers 400).
 */
const ALIASES: Record<string, ClientFormat> = {
	base64: 'base64',
	v2ray: 'base64',
	links_base64: 'base64',
	links: 'links',
	clash: 'clash',
	stash: 'clash',
	'clash-meta': 'clash-meta',
	clash_meta: 'clash-meta',
	meta: 'clash-meta',
	mihomo: 'clash-meta',
	'sing-box': 'sing-box',
	sing_box: 'sing-box',
	singbox: 'sing-box',
}

export function parseFormatParam(value: string): ClientFormat | null {
	return ALIASES[value.trim().toLowerCase()] ?? null
}

/** `undefined` param → UA; a bad param → null. */
export function chooseFormat(formatParam: string | null | undefined, userAgent: string | null | undefined): ClientFormat | null {
	if (formatParam == null || formatParam === '') return formatForUserAgent(userAgent)
	return parseFormatParam(formatParam)
}
