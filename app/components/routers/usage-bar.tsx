import { useTranslation } from 'react-i18next'
import { formatBytes, formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { cn } from '../ui/cn'

/** This cycle's usage against the quota: a bar that turns amber at 80 % and red at 100 %. */
export function UsageBar({ used, quota }: { used: string; quota: string | null }) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const u = BigInt(used)
	const q = quota === null ? null : BigInt(quota)
	const pct = q && q > 0n ? Number((u * 1000n) / q) / 10 : null
	return (
		<div>
			<div className="flex justify-between text-xs text-gray-600 dark:text-gray-400">
				<span className="tabular-nums">{formatBytes(lang, u)}{q ? ` / ${formatBytes(lang, q)}` : ''}</span>
				<span className="tabular-nums">{pct === null ? t('routers.noQuota') : formatNumber(lang, Math.min(pct, 999) / 100, { style: 'percent', maximumFractionDigits: 1 })}</span>
			</div>
			<div className="mt-1 h-2 overflow-hidden rounded-full bg-gray-100 dark:bg-gray-800" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct === null ? undefined : Math.min(100, Math.round(pct))}>
				<div className={cn('h-full rounded-full', pct === null ? 'bg-gray-300' : pct >= 100 ? 'bg-red-500' : pct >= 80 ? 'bg-amber-500' : 'bg-accent')} style={{ width: `${pct === null ? 0 : Math.min(100, pct)}%` }} />
			</div>
		</div>
	)
}
