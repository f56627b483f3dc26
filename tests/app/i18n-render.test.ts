// The render instances remember the text of bare keys (app/utils/i18n-render.server.ts): what a
// component gets must be what i18next itself gives, in both languages, with and without options.
import { createInstance } from 'i18next'
import { describe, expect, test } from 'vitest'
import { i18nFor } from '~/utils/i18n-render.server'
import { i18nOptions, LANGUAGES, resources } from '~/utils/i18n'

/** Every key of a resource tree with a string value, dotted as components ask for them. */
function keysOf(tree: object, prefix = ''): Array<[string, string]> {
	return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : v && typeof v === 'object' ? keysOf(v, `${prefix}${k}.`) : []))
}

describe('render i18n instances', () => {
	test.each(LANGUAGES)('%s: bare keys, options and other languages give what i18next gives', async (lang) => {
		const plain = createInstance()
		await plain.init({ ...i18nOptions, lng: lang })
		const instance = await i18nFor(lang)
		expect(await i18nFor(lang)).toBe(instance) // one per language
		// as react-i18next's useTranslation() asks for it
		const t = instance.getFixedT(null, 'common')
		for (let round = 0; round < 2; round++) {
			// the second round is answered from what the first remembered
			expect(t('admin.dashboard')).toBe(plain.t('admin.dashboard'))
			expect(t('customers.status.active')).toBe(plain.t('customers.status.active'))
			expect(t('no.such.key')).toBe('no.such.key')
		}
		expect(t('admin.dashboard')).not.toBe('admin.dashboard')
		// options go through i18next: interpolation and a default value are applied, not remembered
		expect(t('customers.expiringWithin', { days: '7' })).toBe(plain.t('customers.expiringWithin', { days: '7' }))
		expect(t('customers.expiringWithin', { days: '9' })).toContain('9')
		expect(t('no.such.key', { defaultValue: 'fallback' })).toBe('fallback')
		// another language or a key prefix is never answered from this language's memory
		const other = LANGUAGES.find((l) => l !== lang)!
		expect(instance.getFixedT(other, 'common')('admin.dashboard')).toBe(plain.getFixedT(other, 'common')('admin.dashboard'))
		expect(instance.getFixedT(null, 'common', 'admin')('dashboard')).toBe(plain.t('admin.dashboard'))
	})
	test.each(LANGUAGES)('%s: every template filled with plain values gives what i18next gives', async (lang) => {
		const plain = createInstance()
		await plain.init({ ...i18nOptions, lng: lang })
		const t = (await i18nFor(lang)).getFixedT(null, 'common')
		let filled = 0
		for (const [key, text] of keysOf(resources[lang].common)) {
			const names = [...text.matchAll(/\{\{(.+?)\}\}/g)].map((m) => m[1]!.trim())
			if (names.length === 0) continue
			// strings (with characters a RegExp replacement would treat specially), numbers, and a value left out
			const strings = Object.fromEntries(names.map((n, i) => [n, `v$&${i}{{x}}`]))
			const numbers = Object.fromEntries(names.map((n, i) => [n, 1000 + i]))
			const missing = Object.fromEntries(names.slice(1).map((n) => [n, 'w']))
			for (const values of [strings, numbers, missing]) {
				for (let round = 0; round < 2; round++) expect(t(key, values), `${key} ${JSON.stringify(values)}`).toBe(plain.t(key, values))
			}
			filled++
		}
		expect(filled).toBeGreaterThan(50)
		// plurals, context and defaults stay with i18next
		expect(t('customers.expiringWithin', { days: '3', count: 3 })).toBe(plain.t('customers.expiringWithin', { days: '3', count: 3 }))
		expect(t('no.such.key', { n: 1 })).toBe(plain.t('no.such.key', { n: 1 }))
	})
	test('one fixed t per namespace for the process (useTranslation asks on every render)', async () => {
		const instance = await i18nFor('en')
		expect(instance.getFixedT(null, 'common')).toBe(instance.getFixedT(null, 'common'))
		expect(instance.getFixedT(null, 'common', 'admin')).toBe(instance.getFixedT(null, 'common', 'admin'))
	})
	test('en and fa differ (the memory is per instance)', async () => {
		const en = (await i18nFor('en')).getFixedT(null, 'common')
		const fa = (await i18nFor('fa')).getFixedT(null, 'common')
		expect(en('admin.dashboard')).not.toBe(fa('admin.dashboard'))
	})
})
