// Content types and file names per client format. Marzban serves YAML as text/yaml and sing-box
// as application/json (app/routers/subscription.py `client_config`); the list stays text/plain.
import type { ClientFormat } from './client-format'

export const CONTENT_TYPES: Record<ClientFormat, string> = {
	base64: 'text/plain; charset=utf-8',
	links: 'text/plain; charset=utf-8',
	clash: 'text/yaml; charset=utf-8',
	'clash-meta': 'text/yaml; charset=utf-8',
	'sing-box': 'application/json; charset=utf-8',
}

const EXTENSIONS: Record<ClientFormat, string> = { base64: '', links: '.txt', clash: '.yaml', 'clash-meta': '.yaml', 'sing-box': '.json' }

/**
 * `attachment; filename="<username>"` as Marzban sends it (Clash for Windows and Stash name the
 * profile after it); the ASCII fallback keeps the header legal for any username, `filename*`
 * carries the exact one (RFC 6266).
 */
export function contentDisposition(username: string, format: ClientFormat) {
	const name = `${username}${EXTENSIONS[format]}`
	const ascii = name.replace(/[^A-Za-z0-9_.-]/g, '_')
	return ascii === name ? `attachment; filename="${name}"` : `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}
