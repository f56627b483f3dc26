import { createCookie } from '@remix-run/node'
import { createInstance, type TFunction } from 'i18next'
import { RemixI18Next } from 'remix-i18next/server'
import { secureCookies } from './env.server'
import { DEFAULT_LANG, i18nOptions, isLang, LANGUAGES, type Lang } from './i18n'

/** The chosen language, set by the switcher (a plain form POST, so it works without JS). */
export const langCookie = createCookie('lng', { path: '/', sameSite: 'lax', httpOnly: true, secure: secureCookies(), maxAge: 60 * 60 * 24 * 365 })

const detector = new RemixI18Next({
	detection: { supportedLanguages: [...LANGUAGES], fallbackLanguage: DEFAULT_LANG, cookie: langCookie, order: ['cookie', 'header'] },
	i18next: i18nOptions,
})

// A page asks for its language twice (the root loader, then entry.server.tsx to render): one
// detection per request, from headers that cannot change within it.
const langOfRequests = new WeakMap<Request, Promise<Lang>>()

export function getLang(request: Request): Promise<Lang> {
	let lang = langOfRequests.get(request)
	if (!lang) langOfRequests.set(request, (lang = detectLang(request)))
	return lang
}

// The detected language is a function of the lng cookie's value and the Accept-Language header
// alone (the detector's order: cookie, then header), and browsers send a handful of distinct
// headers. Matching a header builds an Intl.Locale per language in it and asks Intl which it
// supports: ~0.15 ms of every page's CPU (issue 16 profile), so each pair's answer is remembered.
// Bounded: past MAX_DETECTED pairs the memory starts over, and a header longer than any browser
// sends is detected every time rather than kept.
const MAX_DETECTED = 1_000
const MAX_KEY_LENGTH = 256
const detected = new Map<string, Lang>()

async function detectLang(request: Request): Promise<Lang> {
	const fromCookie: unknown = await langCookie.parse(request.headers.get('cookie'))
	const header = request.headers.get('accept-language') ?? ''
	const key = `${typeof fromCookie === 'string' ? fromCookie : ''}\u0000${header}`
	let lang = detected.get(key)
	if (lang === undefined) {
		const locale = await detector.getLocale(request)
		lang = isLang(locale) ? locale : DEFAULT_LANG
		if (key.length <= MAX_KEY_LENGTH) {
			if (detected.size >= MAX_DETECTED) detected.clear()
			detected.set(key, lang)
		}
	}
	return lang
}

const tCache = new Map<Lang, TFunction>()
/** A translator for server-side text (errors, toasts, sub pages). */
export async function getT(request: Request | Lang): Promise<TFunction> {
	const lang = typeof request === 'string' ? request : await getLang(request)
	let t = tCache.get(lang)
	if (!t) {
		const instance = createInstance()
		await instance.init({ ...i18nOptions, lng: lang })
		t = instance.t
		tCache.set(lang, t)
	}
	return t
}
