// A notification in words for Telegram: the same translation and values as the in-app feed
// (automation.notifications.<kind>, an end user's own wording in automation.userNotifications.<kind>:
// app/utils/notification-text.ts), in the recipient's language, with the hub page it leads to when
// PUBLIC_URL is known. Plain text (no parse_mode): nothing in a username or an error message can
// break the markup.
import { env } from '~/utils/env.server'
import { getT } from '~/utils/i18n.server'
import { isLang, DEFAULT_LANG, type Lang } from '~/utils/i18n'
import { notificationKeys, notificationLink, notificationValues } from '~/utils/notification-text'

const MAX_TEXT = 4096 // sendMessage: 1-4096 characters

export const areaOfAudience = (audience: string) => (audience === 'admin' ? 'admin' : audience === 'reseller' ? 'reseller' : 'account') as 'admin' | 'reseller' | 'account'

export async function renderNotification(n: { kind: string; audience: string; data: unknown }, locale: string | null) {
	const lang: Lang = isLang(locale) ? locale : DEFAULT_LANG
	const t = await getT(lang)
	const data = (n.data ?? {}) as Record<string, unknown>
	const values = notificationValues(lang, data)
	const text = t(notificationKeys(n.kind, n.audience), { ...values, defaultValue: t('automation.inbox.generic', { kind: n.kind }) })
	const path = notificationLink(areaOfAudience(n.audience), n.kind, data)
	const base = env().PUBLIC_URL
	const full = path && base ? `${text}\n${base}${path}` : text
	return full.length > MAX_TEXT ? `${full.slice(0, MAX_TEXT - 1)}…` : full
}

export async function telegramText(key: string, locale: string | null, values: Record<string, string> = {}) {
	return (await getT(isLang(locale) ? locale : DEFAULT_LANG))(key, values)
}
