// Online state and days left, computed against one `now` the loader sends, so the server's HTML
// and the browser's first render agree (no hydration mismatch on relative times).
import { relativeTimeFormat } from './intl-cache'

/**
 * Online when a panel reported activity within this window. The usage sync reads the panels'
 * last-online times once a minute by default (Marzban-family `online_at`, a WireGuard peer's
 * latest handshake, which renews every two minutes while traffic flows), so three minutes spans
 * one missed round.
 */
export const ONLINE_WINDOW_MS = 3 * 60_000
const DAY_MS = 24 * 60 * 60_000

export function isOnline(at: Date | string | null | undefined, now: Date | string | number) {
	if (!at) return false
	const diff = new Date(now).getTime() - new Date(at).getTime()
	return diff <= ONLINE_WINDOW_MS
}

/** Whole days until expiry, rounded up (expires later today = 1); 0 or less once expired. */
export function daysLeft(expireAt: Date | string, now: Date | string | number) {
	return Math.ceil((new Date(expireAt).getTime() - new Date(now).getTime()) / DAY_MS)
}

/** "5 minutes ago" in the reader's language and digits, in the largest unit that fits. */
export function timeAgo(lang: 'en' | 'fa', at: Date | string, now: Date | string | number) {
	const seconds = Math.max(0, Math.round((new Date(now).getTime() - new Date(at).getTime()) / 1000))
	const rtf = relativeTimeFormat(lang === 'fa' ? 'fa-IR' : 'en', { numeric: 'auto' })
	if (seconds < 60) return rtf.format(-seconds, 'second')
	if (seconds < 3600) return rtf.format(-Math.floor(seconds / 60), 'minute')
	if (seconds < 86_400) return rtf.format(-Math.floor(seconds / 3600), 'hour')
	return rtf.format(-Math.floor(seconds / 86_400), 'day')
}
