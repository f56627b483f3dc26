// The render instances remember the text of bare keys (app/utils/i18n-render.server.ts): what a
// component gets must be what i18next itself gives, in both languages, with and without options.
import { createInstance } from 'i18next'
import { describe, expect, test } from 'vitest'
import { i18nFor } from '~/utils/i18n-render.server'
import { i18nOptions, LANGUAGES } from '~/utils/i18n'

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
	test('en and fa differ (the memory is per instance)', async () => {
		const en = (await i18nFor('en')).getFixedT(null, 'common')
		const fa = (await i18nFor('fa')).getFixedT(null, 'common')
		expect(en('admin.dashboard')).not.toBe(fa('admin.dashboard'))
	})
})
