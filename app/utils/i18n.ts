// Languages, directions and the bundled translations (small enough to ship whole).
// Each area keeps its own file (so parallel work never edits one JSON); all merge into one
// namespace, keyed by their top-level objects.
import enAdminBilling from '../locales/en/admin-billing.json'
import enAutomation from '../locales/en/automation.json'
import en from '../locales/en/common.json'
import enPayments from '../locales/en/payments.json'
import enReseller from '../locales/en/reseller.json'
import faAdminBilling from '../locales/fa/admin-billing.json'
import faAutomation from '../locales/fa/automation.json'
import fa from '../locales/fa/common.json'
import faPayments from '../locales/fa/payments.json'
import faReseller from '../locales/fa/reseller.json'

export const LANGUAGES = ['en', 'fa'] as const
export type Lang = (typeof LANGUAGES)[number]
export const DEFAULT_LANG: Lang = 'en'

export const resources = {
	en: { common: { ...en, ...enAdminBilling, ...enReseller, ...enAutomation, ...enPayments } },
	fa: { common: { ...fa, ...faAdminBilling, ...faReseller, ...faAutomation, ...faPayments } },
} as const

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
