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

// i18next's own types overload getFixedT and brand TFunction; the wrapper is typed loosely and
// handed back as the same function.
type PlainT = ((key: unknown, ...rest: unknown[]) => string) & { lng?: unknown; lngs?: unknown; ns?: unknown; keyPrefix?: unknown }

/**
 * A template's text split at its `{{name}}` placeholders: literals at even indexes, names at odd
 * ones. Null when i18next must do the work: not a string, nesting (`$t(`), a format
 * (`{{n, number}}`), an unescaped (`{{- x}}`) or a nested-path (`{{a.b}}`) placeholder.
 */
type Template = string[] | null
const PLACEHOLDER = /\{\{(.+?)\}\}/g
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
function compile(text: unknown): Template {
	if (typeof text !== 'string' || text.includes('$t(')) return null
	const parts: string[] = []
	let last = 0
	for (const m of text.matchAll(PLACEHOLDER)) {
		const name = m[1]!.trim()
		if (!PLAIN_NAME.test(name)) return null
		parts.push(text.slice(last, m.index), name)
		last = m.index! + m[0].length
	}
	parts.push(text.slice(last))
	return parts
}
// Options that change what i18next looks up or returns (plurals, context, defaults, …): a call
// with one of them always goes through i18next.
const LOOKUP_OPTIONS = new Set(['count', 'context', 'ordinal', 'defaultValue', 'lng', 'lngs', 'ns', 'keyPrefix', 'replace', 'interpolation', 'returnObjects', 'returnDetails', 'postProcess', 'joinArrays', 'skipInterpolation'])

/**
 * `t(key, { name: value })` for a template whose placeholders are plain names and values that are
 * strings or numbers: the same text i18next builds (escapeValue is off, values are not
 * re-interpolated, a number becomes its digits), without its per-call option copies, key split
 * and regular expressions. Undefined when the call needs i18next.
 */
function interpolate(parts: string[], values: Record<string, unknown>): string | undefined {
	for (const name in values) {
		if (LOOKUP_OPTIONS.has(name) || !parts.includes(name)) return undefined
	}
	let out = parts[0]!
	for (let i = 1; i < parts.length; i += 2) {
		const v = values[parts[i]!]
		if (typeof v === 'string') out += v
		else if (typeof v === 'number') out += String(v)
		else return undefined
		out += parts[i + 1]!
	}
	return out
}

/**
 * Every component's useTranslation() asks i18next for a fixed `t` on every render (react-i18next
 * evaluates getFixedT before its memo), and most calls are a bare `t('key')` or a key with one or
 * two plain values: through i18next each one copies its options, splits the key, walks the
 * resources and runs the interpolation regexps (~1.7 ms of a list page's CPU for bare keys and
 * ~1 ms for the per-row "12 days left", issue 16 profiles). Resources and language never change on
 * a server instance (above), so: one `t` per (language, namespace, prefix) for the process; a bare
 * key's text remembered per namespace; a template's parts remembered and filled with plain values.
 * Any other call (another language, a key prefix, plurals, context, formats) goes to i18next.
 */
function rememberPlainKeys(instance: i18n): i18n {
	const fixedT = instance.getFixedT.bind(instance) as unknown as (lng: unknown, ns: unknown, keyPrefix: unknown) => PlainT
	const texts = new Map<string, string>()
	const templates = new Map<string, Template>()
	const ts = new Map<string, PlainT>()
	const make = (lng: unknown, ns: unknown, keyPrefix: unknown): PlainT => {
		const t = fixedT(lng, ns, keyPrefix)
		if ((lng != null && lng !== instance.language) || keyPrefix) return t
		const scope = `${String(ns)}\u0000`
		const lookUpNs = typeof ns === 'string' ? ns : ns == null ? instance.options.defaultNS : undefined
		const templateOf = (id: string, key: string): Template => {
			let template = templates.get(id)
			if (template === undefined) {
				// Only the instance's own language: a key it lacks falls back through i18next. A key
				// with ':' may name its namespace, which i18next resolves.
				template = typeof lookUpNs === 'string' && !key.includes(':') ? compile(instance.getResource(instance.language, lookUpNs, key)) : null
				if (templates.size < MAX_REMEMBERED) templates.set(id, template)
			}
			return template
		}
		const remembering: PlainT = (key, ...rest) => {
			if (typeof key !== 'string') return t(key, ...rest)
			const id = scope + key
			if (rest.length === 0) {
				let text = texts.get(id)
				if (text === undefined) {
					text = t(key)
					if (texts.size < MAX_REMEMBERED) texts.set(id, text)
				}
				return text
			}
			const values = rest[0]
			if (rest.length === 1 && values !== null && typeof values === 'object' && !Array.isArray(values)) {
				const template = templateOf(id, key)
				const text = template && interpolate(template, values as Record<string, unknown>)
				if (text !== undefined && text !== null) return text
			}
			return t(key, ...rest)
		}
		return Object.assign(remembering, { lng: t.lng, lngs: t.lngs, ns: t.ns, keyPrefix: t.keyPrefix })
	}
	instance.getFixedT = ((lng: unknown, ns: unknown, keyPrefix: unknown) => {
		const cacheable = (lng == null || typeof lng === 'string') && (ns == null || typeof ns === 'string') && (keyPrefix == null || typeof keyPrefix === 'string')
		if (!cacheable) return make(lng, ns, keyPrefix)
		const id = `${String(lng)}\u0000${String(ns)}\u0000${String(keyPrefix)}`
		let t = ts.get(id)
		if (!t) ts.set(id, (t = make(lng, ns, keyPrefix)))
		return t
	}) as unknown as typeof instance.getFixedT
	return instance
}
