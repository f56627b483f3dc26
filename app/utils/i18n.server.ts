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
	if (!lang) langOfRequests.set(request, (lang = detector.getLocale(request).then((l) => (isLang(l) ? l : DEFAULT_LANG))))
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
