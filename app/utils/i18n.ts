// Languages, directions and the bundled translations (small enough to ship whole).
import en from '../locales/en/common.json'
import fa from '../locales/fa/common.json'

export const LANGUAGES = ['en', 'fa'] as const
export type Lang = (typeof LANGUAGES)[number]
export const DEFAULT_LANG: Lang = 'en'

export const resources = { en: { common: en }, fa: { common: fa } } as const

export function isLang(v: unknown): v is Lang {
	return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v)
}

export function dirOf(lang: Lang) {
	return lang === 'fa' ? 'rtl' : 'ltr'
}

export const i18nOptions = {
	supportedLngs: [...LANGUAGES],
	fallbackLng: DEFAULT_LANG,
	defaultNS: 'common',
	ns: ['common'],
	resources,
	interpolation: { escapeValue: false },
	react: { useSuspense: false },
}
