// The Telegram bot's settings (issue 14): one `settings` row (key "telegram") whose token and
// proxy URL (it may carry a password) are sealed under MASTER_KEY like panel credentials
// (app/utils/crypto.server.ts). Pages see whether they are set, never their values.
import { z } from 'zod'
import { audit } from '~/utils/audit.server'
import { open, seal } from '~/utils/crypto.server'
import { prisma } from '~/utils/db.server'

const KEY = 'telegram'
/** The getUpdates offset lives apart from the settings, so saving the form never rewinds it. */
const OFFSET_KEY = 'telegram_poll'

const Stored = z.object({
	enabled: z.boolean().default(false),
	token: z.string().nullable().default(null),
	proxyUrl: z.string().nullable().default(null),
	/** blank = https://api.telegram.org (a local Bot API server or the simulator otherwise) */
	apiRoot: z.string().nullable().default(null),
	/** from getMe when the token was saved: the t.me/<bot>?start=<code> links need it */
	botUsername: z.string().nullable().default(null),
	/** every successful backup's file to the linked admins (sendDocument) */
	sendBackups: z.boolean().default(false),
	/** getUpdates long-poll seconds (0 = short polls, for tests) */
	pollTimeoutSec: z.number().int().min(0).max(50).default(25),
})
type Stored = z.infer<typeof Stored>

export interface TelegramSettings {
	enabled: boolean
	token: string | null
	proxyUrl: string | null
	apiRoot: string | null
	botUsername: string | null
	sendBackups: boolean
	pollTimeoutSec: number
}

export async function getTelegramSettings(): Promise<TelegramSettings> {
	const row = await prisma.setting.findUnique({ where: { key: KEY } })
	const s = Stored.safeParse(row?.value ?? {})
	const v = s.success ? s.data : Stored.parse({})
	return { ...v, token: v.token ? open(v.token) : null, proxyUrl: v.proxyUrl ? open(v.proxyUrl) : null }
}

/** Switched on with a token: only then are chats linked and messages sent. */
export const isTelegramUsable = (s: TelegramSettings): s is TelegramSettings & { token: string } => s.enabled && !!s.token

export function publicTelegramSettings(s: TelegramSettings) {
	return { enabled: s.enabled, tokenSet: !!s.token, proxySet: !!s.proxyUrl, apiRoot: s.apiRoot ?? '', botUsername: s.botUsername ?? '', sendBackups: s.sendBackups, pollTimeoutSec: s.pollTimeoutSec }
}

export interface SaveTelegramInput {
	enabled: boolean
	/** undefined keeps the stored one (the form never shows it) */
	token?: string
	/** undefined keeps, '' removes */
	proxyUrl?: string
	apiRoot: string | null
	botUsername: string | null
	sendBackups: boolean
	pollTimeoutSec?: number
}

export async function saveTelegramSettings(input: SaveTelegramInput, actorId: number | null, ip: string | null = null) {
	const current = await getTelegramSettings()
	const token = input.token ?? current.token
	const proxyUrl = input.proxyUrl === undefined ? current.proxyUrl : input.proxyUrl || null
	const value: Stored = {
		enabled: input.enabled,
		token: token ? seal(token) : null,
		proxyUrl: proxyUrl ? seal(proxyUrl) : null,
		apiRoot: input.apiRoot,
		botUsername: input.botUsername,
		sendBackups: input.sendBackups,
		pollTimeoutSec: input.pollTimeoutSec ?? current.pollTimeoutSec,
	}
	// A save that changes nothing writes nothing (no row, no audit entry).
	const unchanged = JSON.stringify(publicTelegramSettings(current)) === JSON.stringify(publicTelegramSettings({ ...value, token, proxyUrl })) && token === current.token && proxyUrl === current.proxyUrl
	if (unchanged) return
	await prisma.$transaction(async (tx) => {
		await tx.setting.upsert({ where: { key: KEY }, create: { key: KEY, value, updatedBy: actorId }, update: { value, updatedBy: actorId } })
		await audit(
			{ actorId, action: 'telegram.update', entityType: 'setting', entityId: KEY, before: publicTelegramSettings(current), after: { ...publicTelegramSettings({ ...input, token, proxyUrl, pollTimeoutSec: value.pollTimeoutSec }), tokenChanged: !!input.token }, ip },
			tx,
		)
	})
}

export async function getPollOffset(): Promise<number | undefined> {
	const row = await prisma.setting.findUnique({ where: { key: OFFSET_KEY } })
	const v = (row?.value as { offset?: unknown } | undefined)?.offset
	return typeof v === 'number' ? v : undefined
}

export async function savePollOffset(offset: number) {
	await prisma.setting.upsert({ where: { key: OFFSET_KEY }, create: { key: OFFSET_KEY, value: { offset } }, update: { value: { offset } } })
}

/** npm run rotate-key: the sealed token and proxy under the new MASTER_KEY (compare-and-set). */
export async function resealTelegramSettings(needsRotation: (sealed: string) => boolean) {
	const row = await prisma.setting.findUnique({ where: { key: KEY } })
	const s = Stored.safeParse(row?.value ?? null)
	if (!row || !s.success) return 0
	const stale = [s.data.token, s.data.proxyUrl].some((v) => v && needsRotation(v))
	if (!stale) return 0
	const value = { ...s.data, token: s.data.token ? seal(open(s.data.token)) : null, proxyUrl: s.data.proxyUrl ? seal(open(s.data.proxyUrl)) : null }
	const { count } = await prisma.setting.updateMany({ where: { key: KEY, updatedAt: row.updatedAt }, data: { value } })
	return count
}
