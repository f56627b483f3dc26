import { Form, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { useRootData } from '~/root'
import { ACCENT_SWATCHES } from './ui/accents'
import { Button } from './ui/button'
import { cn } from './ui/cn'

/** Plain POST forms: language, theme and accent change without JavaScript. */
export function LanguageSwitch({ className }: { className?: string }) {
	const { t, i18n } = useTranslation()
	const location = useLocation()
	const other = i18n.language === 'fa' ? 'en' : 'fa'
	return (
		<Form method="post" action="/resources/language" className={className}>
			<input type="hidden" name="redirectTo" value={location.pathname + location.search} />
			<button type="submit" name="lang" value={other} lang={other} className="rounded-md px-2 py-1 text-sm text-gray-600 hover:bg-gray-100 dark:text-gray-300 dark:hover:bg-gray-800" aria-label={t('lang.switch')} data-testid="language-switch">
				{t(`lang.${other}`)}
			</button>
		</Form>
	)
}

export function PreferencesForm() {
	const { t } = useTranslation()
	const root = useRootData()
	const location = useLocation()
	const prefs = root?.prefs ?? { theme: 'system', accent: 'indigo' }
	return (
		<Form method="post" action="/resources/preferences" className="space-y-3">
			<input type="hidden" name="redirectTo" value={location.pathname + location.search} />
			<fieldset>
				<legend className="text-xs font-medium text-gray-500">{t('nav.theme')}</legend>
				<div className="mt-1 flex gap-3 text-sm">
					{(['light', 'dark', 'system'] as const).map((theme) => (
						<label key={theme} className="flex items-center gap-1">
							<input type="radio" name="theme" value={theme} defaultChecked={prefs.theme === theme} />
							{t(`theme.${theme}`)}
						</label>
					))}
				</div>
			</fieldset>
			<fieldset>
				<legend className="text-xs font-medium text-gray-500">{t('nav.accent')}</legend>
				<div className="mt-1 flex flex-wrap gap-2">
					{ACCENT_SWATCHES.map(({ name, hex }) => (
						<label key={name} className="cursor-pointer" title={t(`accents.${name}`)}>
							<input type="radio" name="accent" value={name} defaultChecked={prefs.accent === name} className="peer sr-only" />
							<span className={cn('block size-6 rounded-full ring-2 ring-transparent ring-offset-2 peer-checked:ring-gray-900 peer-focus-visible:ring-gray-500 dark:ring-offset-gray-900 dark:peer-checked:ring-white')} style={{ backgroundColor: hex }} />
							<span className="sr-only">{t(`accents.${name}`)}</span>
						</label>
					))}
				</div>
			</fieldset>
			<Button type="submit" size="sm" variant="secondary">
				{t('theme.save')}
			</Button>
		</Form>
	)
}
