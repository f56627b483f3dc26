// Languages, directions and the bundled translations (small enough to ship whole).
// Each area keeps its own file (so parallel work never edits one JSON); all merge into one
// namespace, keyed by their top-level objects.
import enAdminBilling from '../locales/en/admin-billing.json'
import enAutomation from '../locales/en/automation.json'
import en from '../locales/en/common.json'
import enPayments from '../locales/en/payments.json'
import enReceipts from '../locales/en/receipts.json'
import enDaily from '../locales/en/daily-use.json'
import enGateways from '../locales/en/gateways.json'
import enInvoices from '../locales/en/invoices.json'
import enReseller from '../locales/en/reseller.json'
import enRouters from '../locales/en/routers.json'
import enReports from '../locales/en/reports.json'
import enAudit from '../locales/en/audit.json'
import enStore from '../locales/en/store.json'
import enSubscription from '../locales/en/subscription.json'
import enStatements from '../locales/en/statements.json'
import enTelegram from '../locales/en/telegram.json'
import faAdminBilling from '../locales/fa/admin-billing.json'
import faAutomation from '../locales/fa/automation.json'
import fa from '../locales/fa/common.json'
import faPayments from '../locales/fa/payments.json'
import faReceipts from '../locales/fa/receipts.json'
import faDaily from '../locales/fa/daily-use.json'
import faGateways from '../locales/fa/gateways.json'
import faInvoices from '../locales/fa/invoices.json'
import faReseller from '../locales/fa/reseller.json'
import faRouters from '../locales/fa/routers.json'
import faReports from '../locales/fa/reports.json'
import faAudit from '../locales/fa/audit.json'
import faStore from '../locales/fa/store.json'
import faSubscription from '../locales/fa/subscription.json'
import faStatements from '../locales/fa/statements.json'
import faTelegram from '../locales/fa/telegram.json'

export const LANGUAGES = ['en', 'fa'] as const
export type Lang = (typeof LANGUAGES)[number]
export const DEFAULT_LANG: Lang = 'en'

export const resources = {
	en: { common: { ...en, ...enAdminBilling, ...enReseller, ...enAutomation, ...enPayments, ...enReceipts, ...enDaily, ...enSubscription, ...enGateways, ...enInvoices, ...enStore, ...enRouters, ...enReports, ...enAudit, ...enStatements, ...enTelegram } },
	fa: { common: { ...fa, ...faAdminBilling, ...faReseller, ...faAutomation, ...faPayments, ...faReceipts, ...faDaily, ...faSubscription, ...faGateways, ...faInvoices, ...faStore, ...faRouters, ...faReports, ...faAudit, ...faStatements, ...faTelegram } },
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
