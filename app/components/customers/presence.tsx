import { useTranslation } from 'react-i18next'
import { cn } from '~/components/ui/cn'
import { formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { daysLeft, isOnline, timeAgo } from '~/utils/presence'

/**
 * Seed 002's online model: a green pulsing dot while the panel saw him lately, otherwise a gray
 * dot and "last seen … ago" (or "never connected"). `now` is the loader's clock.
 */
export function OnlineDot({ at, now, compact }: { at: Date | string | null; now: Date | string; compact?: boolean }) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const online = isOnline(at, now)
	const label = online ? t('daily.online.online') : at ? t('daily.online.lastSeen', { ago: timeAgo(lang, at, now) }) : t('daily.online.never')
	return (
		<span className="inline-flex min-w-0 items-center gap-1.5 text-xs text-gray-500 dark:text-gray-400" data-testid="online" data-online={online ? 'yes' : 'no'} title={compact ? label : undefined}>
			<span className="relative flex size-2 shrink-0" aria-hidden>
				{online ? <span className="absolute inline-flex size-full animate-ping rounded-full bg-green-500 opacity-75" /> : null}
				<span className={cn('relative inline-flex size-2 rounded-full', online ? 'bg-green-500' : 'bg-gray-300 dark:bg-gray-600')} />
			</span>
			<span className={compact ? 'sr-only' : 'truncate'}>{label}</span>
		</span>
	)
}

/** "12 days left" (amber at 3 or fewer), "expires today", or "expired". */
export function DaysLeft({ expireAt, now, className }: { expireAt: Date | string; now: Date | string; className?: string }) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const days = daysLeft(expireAt, now)
	const text = days <= 0 ? t('daily.days.expired') : days === 1 ? t('daily.days.today') : t('daily.days.left', { n: formatNumber(lang, days) })
	return (
		<span className={cn('text-xs whitespace-nowrap tabular-nums', days <= 0 ? 'text-red-600 dark:text-red-400' : days <= 3 ? 'font-medium text-amber-700 dark:text-amber-400' : 'text-gray-500', className)} data-testid="days-left" data-days={days}>
			{text}
		</span>
	)
}
