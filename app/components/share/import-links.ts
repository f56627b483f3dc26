// One-tap import: the URL schemes each VPN app registers for "add this subscription", read from
// the apps' own sources:
// - v2rayNG: `v2rayng://install-config?url=<enc>#<name>` — 2dust/v2rayNG UrlSchemeActivity
//   (ACTION_VIEW, hosts install-config / install-sub, the `url` query, the fragment as the name).
// - Hiddify: `hiddify://import/<url>#<name>` — hiddify/hiddify-app lib/utils/link_parsers.dart
//   `LinkParser.deep` (host `import`: the path after the slash is the URL, query kept, fragment = name).
// - sing-box (SFA/SFI/SFM): `sing-box://import-remote-profile?url=<enc>#<name>` — sing-box docs,
//   "Clients → Remote profile import"; Hiddify's LinkParser reads the same form.
// - Clash Meta for Android / mihomo GUIs: `clash://install-config?url=<enc>&name=<name>` — the
//   Clash for Windows scheme they all adopted (Hiddify's LinkParser: schemes clash / clashmeta,
//   host install-config, `url` and `name` queries).
// - Streisand (iOS, closed source): `streisand://import/<url>#<name>` — the form PasarGuard v5
//   ships in its default subscription-page applications list.

export const IMPORT_APPS = ['v2rayng', 'hiddify', 'streisand', 'singbox', 'clashmeta'] as const
export type ImportApp = (typeof IMPORT_APPS)[number]

export const APP_NAMES: Record<ImportApp, string> = { v2rayng: 'v2rayNG', hiddify: 'Hiddify', streisand: 'Streisand', singbox: 'sing-box', clashmeta: 'Clash Meta' }

/** Platforms each app runs on (for the one-line hint under its button). */
export const APP_PLATFORMS: Record<ImportApp, string> = { v2rayng: 'Android', hiddify: 'Android, iOS, Windows, macOS', streisand: 'iOS, macOS', singbox: 'Android, iOS, macOS', clashmeta: 'Android, Windows, macOS' }

const enc = encodeURIComponent

/** The deep link that opens `app` and adds the subscription at `url` (an https /sub link). */
export function importLink(app: ImportApp, url: string, name: string) {
	switch (app) {
		case 'v2rayng':
			return `v2rayng://install-config?url=${enc(url)}#${enc(name)}`
		case 'hiddify':
			return `hiddify://import/${url}#${enc(name)}`
		case 'streisand':
			return `streisand://import/${url}#${enc(name)}`
		case 'singbox':
			return `sing-box://import-remote-profile?url=${enc(url)}#${enc(name)}`
		case 'clashmeta':
			return `clash://install-config?url=${enc(url)}&name=${enc(name)}`
	}
}
