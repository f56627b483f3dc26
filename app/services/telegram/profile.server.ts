// The Telegram part of a profile page (admin and reseller notifications pages, /account/profile):
// what the card shows, and its three POST forms told apart by intent — tg_code (a one-time link
// code, shown once: the response carries it, nothing stores it readable), tg_unlink, tg_prefs
// (one checkbox per catalogue event of the user's audience; an unchecked box is not sent, so
// every event of the audience is decided by each save, and the hidden prefs=1 tells a real save
// from a bare intent).
import { data } from '@remix-run/node'
import { z } from 'zod'
import { redirectWithToast } from '~/utils/toast.server'
import { eventsFor, isEventOn, type EventAudience } from './events'
import { createLinkCode, linkOf, preferencesOf, savePreferences, unlink } from './link.server'
import { getTelegramSettings, isTelegramUsable } from './settings.server'

export const TELEGRAM_INTENTS = ['tg_code', 'tg_unlink', 'tg_prefs'] as const

export async function telegramCard(userId: number, audience: EventAudience) {
	const [settings, link, choices] = await Promise.all([getTelegramSettings(), linkOf(userId), preferencesOf(userId)])
	return {
		available: isTelegramUsable(settings) && !!settings.botUsername,
		botUsername: settings.botUsername,
		link,
		events: eventsFor(audience).map((e) => ({ id: e.id, on: isEventOn(e, choices) })),
	}
}
export type TelegramCardData = Awaited<ReturnType<typeof telegramCard>>

export function isTelegramIntent(form: FormData) {
	return (TELEGRAM_INTENTS as readonly string[]).includes(String(form.get('intent') ?? ''))
}

const Intent = z.enum(TELEGRAM_INTENTS)

/** Handles a tg_* form; `back` is where a redirect lands. */
export async function telegramAction(form: FormData, userId: number, audience: EventAudience, back: string) {
	const intent = Intent.safeParse(form.get('intent'))
	if (!intent.success) return data({ telegram: null, error: 'errors.badRequest' }, { status: 400 })
	if (intent.data === 'tg_unlink') {
		await unlink(userId)
		return redirectWithToast(back, { type: 'success', key: 'notify.card.unlinked' })
	}
	if (intent.data === 'tg_prefs') {
		// the form's marker: a post without it (a bare intent) is not a save of "all off"
		if (form.get('prefs') !== '1') return data({ telegram: null, error: 'errors.badRequest' }, { status: 400 })
		const chosen = new Set(form.getAll('event').map(String))
		const known = eventsFor(audience)
		if ([...chosen].some((id) => !known.some((e) => e.id === id))) return data({ telegram: null, error: 'errors.badRequest' }, { status: 400 })
		await savePreferences(userId, Object.fromEntries(known.map((e) => [e.id, chosen.has(e.id)])))
		return redirectWithToast(back, { type: 'success', key: 'notify.card.saved' })
	}
	const settings = await getTelegramSettings()
	if (!isTelegramUsable(settings) || !settings.botUsername) return data({ telegram: null, error: 'notify.card.unavailable' }, { status: 409 })
	const { code, expiresAt } = await createLinkCode(userId)
	return data({ telegram: { code, link: `https://t.me/${settings.botUsername}?start=${code}`, expiresAt: expiresAt.toISOString() }, error: null })
}
