// Usage bar, days left and status of one service: the /sub page and /account services show the
// same figures the same way. Days left is computed by the loader (server clock) so the server
// render and hydration agree.
import { useTranslation } from 'react-i18next'
import { StatusPill } from '~/components/ui/status-pill'
import { formatBytes, formatDate, formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'

export interface UsageFigures {
	status: string
	/** bytes as decimal strings (bigint does not cross the loader boundary) */
	used: string
	limit: string
	expireAt: string
	daysLeft: number
}

export function daysLeft(expireAt: Date, now = Date.now()) {
	return Math.max(0, Math.ceil((expireAt.getTime() - now) / 86_400_000))
}

const TONE: Record<string, 'green' | 'red' | 'amber' | 'gray'> = { active: 'green', limited: 'amber', expired: 'amber', disabled: 'red' }

export function UsageSummary({ figures }: { figures: UsageFigures }) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const used = BigInt(figures.used)
	const limit = BigInt(figures.limit)
	// Per mille in bigint, then a number: a 10 TB limit loses nothing.
	const permille = limit > 0n ? Number((used * 1000n) / limit) : 0
	const percent = Math.min(100, permille / 10)
	const barTone = percent >= 100 ? 'bg-red-500' : percent >= 80 ? 'bg-amber-500' : 'bg-accent'
	return (
		<div className="space-y-2" data-testid="usage-summary">
			<div className="flex flex-wrap items-center justify-between gap-2">
				<StatusPill tone={TONE[figures.status] ?? 'gray'} label={t(`status.${figures.status}`, { defaultValue: figures.status })} />
				<span className="text-sm text-gray-700 dark:text-gray-200" data-testid="days-left">
					{figures.daysLeft > 0 ? t('subPage.daysLeft', { count: figures.daysLeft, n: formatNumber(lang, figures.daysLeft) }) : t('subPage.expired')}
				</span>
			</div>
			<div>
				<div className="flex justify-between gap-2 text-sm">
					<span className="text-gray-600 dark:text-gray-300">{t('subPage.used')}</span>
					<span className="tabular-nums" data-testid="sub-used">
						<bdi>{formatBytes(lang, used)}</bdi> {limit === 0n ? <span className="text-gray-500">({t('subPage.unlimited')})</span> : <span className="text-gray-500">{t('subPage.of', { limit: formatBytes(lang, limit) })}</span>}
					</span>
				</div>
				{limit > 0n ? (
					<div className="mt-1 h-2 overflow-hidden rounded-full bg-gray-200 dark:bg-gray-700" role="progressbar" aria-label={t('subPage.usage')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(percent)}>
						<div className={`h-full rounded-full ${barTone}`} style={{ width: `${percent}%` }} />
					</div>
				) : null}
			</div>
			<p className="text-xs text-gray-500 dark:text-gray-400">{t('subPage.expires', { date: formatDate(lang, figures.expireAt) })}</p>
		</div>
	)
}
