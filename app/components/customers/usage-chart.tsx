import { useTranslation } from 'react-i18next'
import { BarChart } from '~/components/charts'
import { Card, CardTitle } from '~/components/ui/card'
import { formatBytes } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { dateTimeFormat } from '~/utils/intl-cache'

/** 'YYYY-MM-DD' → a short day label in the reader's calendar (Jalali in Persian). */
function dayLabel(lang: Lang, day: string) {
	return dateTimeFormat(lang === 'fa' ? 'fa-IR-u-ca-persian-nu-arabext' : 'en-GB', { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`))
}

/** The customer's last 30 days of usage (usage_daily, all nodes) as bars, total on top; today still grows. */
export function UsageChart({ days }: { days: Array<{ day: string; bytes: bigint }> }) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const total = days.reduce((sum, d) => sum + d.bytes, 0n)
	return (
		<Card className="space-y-2" data-testid="usage-chart">
			<CardTitle action={<span className="text-xs text-gray-500 tabular-nums">{t('daily.usage.total', { total: formatBytes(lang, total) })}</span>}>{t('daily.usage.title')}</CardTitle>
			<BarChart
				data={days.map((d) => ({ label: dayLabel(lang, d.day), value: Number(d.bytes) }))}
				format={(v) => formatBytes(lang, BigInt(Math.round(v)))}
				title={t('daily.usage.title')}
				tableLabel={t('daily.usage.table')}
				highlightLast
			/>
		</Card>
	)
}
