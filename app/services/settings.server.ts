// Admin-editable automation settings (intervals, thresholds, rate limits, policies), one JSON
// document in `settings` under key "automation", validated by one schema with defaults.
import { z } from 'zod'
import { STORE_SETTINGS_KEY, StoreSettingsSchema, type StoreSettings } from '~/models/store-settings'
import { prisma } from '~/utils/db.server'

export const AutomationSettingsSchema = z.object({
	/** Usage sync of every node, seconds between rounds. */
	syncIntervalSec: z.coerce.number().int().min(10).max(3600).default(60),
	/** A node whose counters did not move for this long is flagged stale. */
	staleAfterMin: z.coerce.number().int().min(5).max(7 * 24 * 60).default(60),
	/** A single sub-account delta above this (GB) is held for review instead of counted. */
	jumpHoldGb: z.coerce.number().int().min(1).max(100_000).default(500),
	/** Rule 2: all customers of a reseller negative for longer than this are auto-disabled. */
	negativeCreditHours: z.coerce.number().int().min(1).max(24 * 30).default(24),
	/** Notifications: customers expiring within N days; usage past P percent. */
	notifyExpiringDays: z.coerce.number().int().min(1).max(60).default(3),
	notifyUsagePercent: z.coerce.number().int().min(1).max(100).default(80),
	/** Rule 11: remote operations per second per node (a node may override). */
	remoteOpsPerSec: z.coerce.number().int().min(1).max(100).default(3),
	/** Rule 8: WGDashboard on expiry — restrict (default) or delete the peer. */
	wgExpiryAction: z.enum(['restrict', 'delete']).default('restrict'),
	/** Refund: the remote account is disabled (default) or deleted. */
	refundRemoteAction: z.enum(['disable', 'delete']).default('disable'),
	/** A job failing this many times in a row notifies the admin. */
	jobFailureAlertAfter: z.coerce.number().int().min(1).max(100).default(3),
})
export type AutomationSettings = z.infer<typeof AutomationSettingsSchema>

const KEY = 'automation'
let cache: { at: number; value: AutomationSettings } | undefined
const TTL_MS = 5_000

export async function getSettings(): Promise<AutomationSettings> {
	if (cache && Date.now() - cache.at < TTL_MS) return cache.value
	const row = await prisma.setting.findUnique({ where: { key: KEY } })
	const parsed = AutomationSettingsSchema.safeParse(row?.value ?? {})
	const value = parsed.success ? parsed.data : AutomationSettingsSchema.parse({})
	cache = { at: Date.now(), value }
	return value
}

export async function saveSettings(value: AutomationSettings, actorId: number) {
	await prisma.setting.upsert({ where: { key: KEY }, create: { key: KEY, value, updatedBy: actorId }, update: { value, updatedBy: actorId } })
	cache = undefined
}

/** Tests and tasks that changed settings directly. */
export function forgetSettings() {
	cache = undefined
}

// ── Store settings (issue 12): company, terms, tax, display currency — schema in models/store-settings.

let storeCache: { at: number; value: StoreSettings } | undefined

export async function getStoreSettings(): Promise<StoreSettings> {
	if (storeCache && Date.now() - storeCache.at < TTL_MS) return storeCache.value
	const row = await prisma.setting.findUnique({ where: { key: STORE_SETTINGS_KEY } })
	const parsed = StoreSettingsSchema.safeParse(row?.value ?? {})
	const value = parsed.success ? parsed.data : StoreSettingsSchema.parse({})
	storeCache = { at: Date.now(), value }
	return value
}

export async function saveStoreSettings(value: StoreSettings, actorId: number) {
	await prisma.setting.upsert({ where: { key: STORE_SETTINGS_KEY }, create: { key: STORE_SETTINGS_KEY, value, updatedBy: actorId }, update: { value, updatedBy: actorId } })
	storeCache = undefined
}

/** Tests that changed store settings directly. */
export function forgetStoreSettings() {
	storeCache = undefined
}
