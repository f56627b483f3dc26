// The Telegram card of a profile page (admin and reseller notifications pages, /account/profile):
// link status, a one-time link code with its t.me link (shown once, from the action's answer),
// unlink, and one checkbox per event of the user's audience. Plain POST forms, no JS needed.
import { Form, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { formatDate } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { FormSection } from './billing-fields'
import { Button } from './ui/button'

export interface TelegramCardProps {
	card: {
		available: boolean
		botUsername: string | null
		link: { tgUsername: string | null; linkedAt: string | Date; blocked: boolean } | null
		events: Array<{ id: string; on: boolean }>
	}
	/** The action's answer to tg_code: the code, shown this once. */
	issued?: { code: string; link: string; expiresAt: string } | null
	error?: string | null
}

export function TelegramCard({ card, issued, error }: TelegramCardProps) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const navigation = useNavigation()
	const busy = (intent: string) => navigation.state === 'submitting' && navigation.formData?.get('intent') === intent
	const c = (k: string, v?: Record<string, string>) => t(`notify.card.${k}`, v)
	return (
		<FormSection title={c('title')}>
			<div data-testid="telegram-card" className="space-y-4">
				<p className="text-sm text-gray-600 dark:text-gray-400">{c('intro')}</p>
				{error ? <p role="alert" className="text-sm text-red-600">{t(error)}</p> : null}
				{!card.available ? (
					<p className="text-sm text-gray-500">{c('unavailable')}</p>
				) : (
					<>
						<div className="flex flex-wrap items-center justify-between gap-2 text-sm">
							<p>
								{card.link
									? c('linked', { who: card.link.tgUsername ? `@${card.link.tgUsername}` : 'Telegram', since: formatDate(lang, card.link.linkedAt, 'datetime') })
									: c('notLinked')}
							</p>
							<div className="flex flex-wrap gap-2">
								<Form method="post">
									<Button type="submit" name="intent" value="tg_code" size="sm" variant={card.link ? 'secondary' : 'primary'} pending={busy('tg_code')}>
										{card.link ? c('relink') : c('getCode')}
									</Button>
								</Form>
								{card.link ? (
									<Form method="post">
										<Button type="submit" name="intent" value="tg_unlink" size="sm" variant="ghost" pending={busy('tg_unlink')}>{c('unlink')}</Button>
									</Form>
								) : null}
							</div>
						</div>
						{card.link?.blocked ? <p className="text-sm text-amber-700 dark:text-amber-400">{c('blocked')}</p> : null}
						{issued ? (
							<div className="space-y-2 rounded-lg bg-accent/5 p-3 text-sm" data-testid="telegram-code">
								<p className="font-medium">{c('codeTitle')}</p>
								<p dir="ltr" className="break-all font-mono text-base">{issued.code}</p>
								<a href={issued.link} className="inline-block font-medium text-accent hover:underline" rel="noreferrer" target="_blank">{c('openLink')}</a>
								<p className="text-xs text-gray-500">{c('codeHint', { code: issued.code, bot: card.botUsername ?? '', until: formatDate(lang, issued.expiresAt, 'datetime') })}</p>
							</div>
						) : null}
						<Form method="post" className="space-y-2">
							<input type="hidden" name="intent" value="tg_prefs" />
							<input type="hidden" name="prefs" value="1" />
							<fieldset className="space-y-2">
								<legend className="text-sm font-medium">{c('eventsTitle')}</legend>
								{card.events.map((e) => (
									<label key={e.id} className="flex items-start gap-2 text-sm">
										<input type="checkbox" name="event" value={e.id} defaultChecked={e.on} className="mt-0.5" />
										<span className="min-w-0">{t(`notify.events.${e.id}`)}</span>
									</label>
								))}
							</fieldset>
							<Button type="submit" size="sm" variant="secondary" pending={busy('tg_prefs')}>{c('save')}</Button>
						</Form>
					</>
				)}
			</div>
		</FormSection>
	)
}
