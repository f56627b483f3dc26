// The i18next instances pages render with (app/entry.server.tsx): one per language for the
// process, with the text of bare keys remembered.
import { createInstance, type i18n } from 'i18next'
import { initReactI18next } from 'react-i18next'
import { i18nOptions, type Lang } from './i18n'

// One i18next instance per language for the process, not one per request: creating and
// initialising an instance cost ~2–5 ms of CPU for every rendered page (issue 16 "find where the
// time goes"). Sharing is safe because nothing on the server changes an instance's language
// (root.tsx switches it in an effect, which runs only in the browser) and the resources are static.
const instances = new Map<Lang, Promise<i18n>>()
export function i18nFor(lang: Lang) {
	let instance = instances.get(lang)
	if (!instance) {
		const created = createInstance()
		instances.set(lang, (instance = created.use(initReactI18next).init({ ...i18nOptions, lng: lang }).then(() => rememberPlainKeys(created))))
	}
	return instance
}

// Bounded: a key built from data that has no translation would otherwise add an entry per value.
const MAX_REMEMBERED = 5_000
/**
 * Every component's useTranslation() asks for a fixed `t`, and most calls are a bare `t('key')`:
 * through i18next each one copies its options, splits the key and walks the resources (~1.7 ms
 * of a 50-row list page's CPU, issue 16 profile). Resources and language never change on a server
 * instance (above), so a bare key's text is remembered per namespace; any call with options,
 * another language or a key prefix goes through i18next unchanged.
 */
function rememberPlainKeys(instance: i18n): i18n {
	// i18next's own types overload getFixedT and brand TFunction; this wrapper is typed loosely
	// and handed back as the same function.
	type PlainT = ((key: unknown, ...rest: unknown[]) => string) & { lng?: unknown; lngs?: unknown; ns?: unknown; keyPrefix?: unknown }
	const fixedT = instance.getFixedT.bind(instance) as unknown as (lng: unknown, ns: unknown, keyPrefix: unknown) => PlainT
	const texts = new Map<string, string>()
	const remembered = (lng: unknown, ns: unknown, keyPrefix: unknown) => {
		const t = fixedT(lng, ns, keyPrefix)
		if ((lng != null && lng !== instance.language) || keyPrefix) return t
		const scope = `${String(ns)}\u0000`
		const remembering: PlainT = (key, ...rest) => {
			if (rest.length > 0 || typeof key !== 'string') return t(key, ...rest)
			const id = scope + key
			let text = texts.get(id)
			if (text === undefined) {
				text = t(key)
				if (texts.size < MAX_REMEMBERED) texts.set(id, text)
			}
			return text
		}
		return Object.assign(remembering, { lng: t.lng, lngs: t.lngs, ns: t.ns, keyPrefix: t.keyPrefix })
	}
	instance.getFixedT = remembered as unknown as typeof instance.getFixedT
	return instance
}
