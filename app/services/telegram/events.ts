// The notification event catalogue (issue 14): every event a notification can be about, who may
// receive it, whether Telegram delivery is on by default, and its translation keys
// (notify.events.<id>.{label,hint} in app/locales/*/telegram.json). In-app notifications are always
// kept; the per-user choices (notification_preferences) decide Telegram delivery only.
// No server code here: the preference forms render this list too.

export type EventAudience = 'admin' | 'reseller' | 'user'

export interface NotificationEvent {
	id: string
	audiences: readonly EventAudience[]
	/** Sent by Telegram unless the user turned it off. */
	defaultOn: boolean
	/** The stored notification kinds (notifications.kind) that belong to this event. */
	kinds: readonly string[]
}

export const EVENTS = [
	{ id: 'receipt_submitted', audiences: ['admin'], defaultOn: true, kinds: ['payment_submitted'] },
	{ id: 'receipt_approved', audiences: ['reseller', 'user'], defaultOn: true, kinds: ['payment_approved'] },
	// A reversal takes an approval back: the payer wants it where rejections go.
	{ id: 'receipt_rejected', audiences: ['reseller', 'user'], defaultOn: true, kinds: ['payment_rejected', 'payment_reversed'] },
	{ id: 'card_limit', audiences: ['admin'], defaultOn: true, kinds: ['payment_method_limit', 'payment_method_exhausted'] },
	{ id: 'node_down', audiences: ['admin'], defaultOn: true, kinds: ['node_unreachable'] },
	{ id: 'node_back', audiences: ['admin'], defaultOn: true, kinds: ['node_back'] },
	{ id: 'sync_stale', audiences: ['admin'], defaultOn: true, kinds: ['sync_stale'] },
	{ id: 'usage_80', audiences: ['reseller', 'user'], defaultOn: true, kinds: ['usage_threshold'] },
	{ id: 'usage_100', audiences: ['reseller', 'user'], defaultOn: true, kinds: ['usage_exhausted'] },
	{ id: 'expiry_3d', audiences: ['reseller', 'user'], defaultOn: true, kinds: ['expiring'] },
	{ id: 'expiry_1d', audiences: ['reseller', 'user'], defaultOn: true, kinds: ['expiring_1d'] },
	{ id: 'balance_low', audiences: ['reseller'], defaultOn: true, kinds: ['balance_low'] },
	{ id: 'balance_negative', audiences: ['reseller'], defaultOn: true, kinds: ['balance_negative', 'credit_disabled'] },
	{ id: 'pool_low', audiences: ['reseller'], defaultOn: true, kinds: ['pool_low', 'pool_exhausted', 'pool_window_over'] },
	{ id: 'backup_succeeded', audiences: ['admin'], defaultOn: false, kinds: ['backup_succeeded'] },
	{ id: 'backup_failed', audiences: ['admin'], defaultOn: true, kinds: ['backup_failed'] },
	// Beyond the list: kinds the hub already raised before the catalogue existed.
	{ id: 'jobs_failing', audiences: ['admin'], defaultOn: true, kinds: ['job_failing'] },
	{ id: 'panel_drift', audiences: ['admin'], defaultOn: false, kinds: ['drift', 'foreign_account'] },
	{ id: 'router_quota', audiences: ['admin'], defaultOn: true, kinds: ['router_quota'] },
] as const satisfies readonly NotificationEvent[]

export type EventId = (typeof EVENTS)[number]['id']

const BY_KIND = new Map<string, NotificationEvent>(EVENTS.flatMap((e) => e.kinds.map((k) => [k, e] as const)))

/** The event a stored notification kind belongs to (undefined: a kind this version does not know). */
export function eventOfKind(kind: string): NotificationEvent | undefined {
	return BY_KIND.get(kind)
}

export function eventsFor(audience: EventAudience): NotificationEvent[] {
	return EVENTS.filter((e) => (e.audiences as readonly EventAudience[]).includes(audience))
}

/** A user's stored choices over the catalogue's defaults. */
export function isEventOn(event: NotificationEvent, choices: Record<string, unknown>): boolean {
	const v = choices[event.id]
	return typeof v === 'boolean' ? v : event.defaultOn
}
