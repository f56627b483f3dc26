// Notification text shared by the in-app feed and the Telegram sender: the translation values of
// a notification's data in the reader's language, and the page it leads to. Pure (no React, no
// server code), so both the component and the worker import it.
import { formatBytes, formatDate, formatNumber } from './format'
import type { Lang } from './i18n'
import { formatMoney } from './money'

const DATE_RE = /^\d{4}-\d{2}-\d{2}T/

const INTEGER_RE = /^-?\d+$/
const MONEY_KEYS = ['balance', 'amount']

/** Values ready for interpolation: numbers, byte counts (…Bytes), money (with `currency`) and dates in the reader's format. */
export function notificationValues(lang: Lang, data: Record<string, unknown>) {
	const currency = typeof data.currency === 'string' ? data.currency : null
	const integer = (v: unknown): v is number | string => (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && INTEGER_RE.test(v))
	return Object.fromEntries(
		Object.entries(data).map(([k, v]) => {
			if (/bytes$/i.test(k) && integer(v)) return [k, formatBytes(lang, BigInt(v))]
			if (currency && MONEY_KEYS.includes(k) && integer(v)) return [k, formatMoney(lang, BigInt(v), currency)]
			if (typeof v === 'number') return [k, formatNumber(lang, v)]
			if (typeof v === 'string' && DATE_RE.test(v) && !Number.isNaN(Date.parse(v))) return [k, formatDate(lang, v, 'datetime')]
			return [k, typeof v === 'string' ? v : JSON.stringify(v)]
		}),
	)
}

/**
 * The translation keys of a notification, best first (i18next uses the first that exists). The
 * end user (audience 'user') reads about his own services: "Your service X expires…", where the
 * reseller's text says "X expires…" about a customer; kinds without a user text (his receipts are
 * already worded "Your payment…") fall back to the shared one.
 */
export function notificationKeys(kind: string, audience: string): string[] {
	const shared = `automation.notifications.${kind}`
	return audience === 'user' ? [`automation.userNotifications.${kind}`, shared] : [shared]
}

const WALLET_KINDS = ['pool_low', 'pool_exhausted', 'pool_window_over', 'balance_negative', 'credit_disabled', 'balance_low']

/** Where a notification leads, from the ids it carries. */
export function notificationLink(area: 'admin' | 'reseller' | 'account', kind: string, data: Record<string, unknown>) {
	const id = (k: string) => (typeof data[k] === 'number' || (typeof data[k] === 'string' && /^\d+$/.test(data[k] as string)) ? String(data[k]) : null)
	// an end user's own receipts and services (audience 'user')
	if (area === 'account') return id('paymentId') ? `/account/wallet/${id('paymentId')}` : id('customerId') ? '/account/services' : null
	if (id('paymentId')) return area === 'admin' ? `/admin/payments/${id('paymentId')}` : `/reseller/wallet/top-up/${id('paymentId')}`
	if (area === 'reseller') return id('customerId') ? `/reseller/customers/${id('customerId')}` : WALLET_KINDS.includes(kind) ? '/reseller/wallet' : null
	if (kind === 'job_failing' || kind === 'drift') return '/admin/jobs'
	if (id('nodeId')) return `/admin/nodes/${id('nodeId')}`
	if (id('resellerId')) return `/admin/resellers/${id('resellerId')}`
	return null
}
