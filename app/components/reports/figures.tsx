// The analytics: revenue summary (gross → coupons → refunds → credits → net), active paid
// services, receipt approval times, and the charts — each chart with its table.
import { useTranslation } from 'react-i18next'
import { BarChart, ShareBars } from '~/components/charts'
import { Card, CardTitle, Stat } from '~/components/ui/card'
import { formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'
import { jalaliDate } from '~/services/reports/dates'
import type { NamedFigure, ReportsView } from './types'

export function useMoney(currency: string) {
	const { i18n } = useTranslation()
	const lang = i18n.language as Lang
	return (minor: bigint | number) => formatMoney(lang, typeof minor === 'bigint' ? minor : BigInt(Math.round(minor)), currency, currency === 'IRR' ? 'IRT' : undefined)
}

const persianDigits = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)))

export function ReportFigures({ view, showResellers }: { view: ReportsView; showResellers: boolean }) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const money = useMoney(view.currency)
	const f = view.figures
	const minutes = (s: number | null) => (s == null ? '–' : t('reports.summary.minutes', { n: formatNumber(lang, Math.round(s / 6) / 10) }))
	const named = (rows: NamedFigure[], fallback: string) => rows.map((r) => ({ label: r.name ?? fallback, value: Number(r.net) }))
	const lines: Array<[string, bigint, boolean?]> = [
		['gross', f.totals.gross],
		['coupons', -f.totals.coupons],
		['charges', f.totals.charges],
		['refunds', -f.totals.refunds],
		['credits', -f.totals.credits],
		['net', f.totals.net, true],
	]
	return (
		<div className="space-y-4">
			<div className="grid gap-4 sm:grid-cols-3">
				<Card className="sm:col-span-2">
					<CardTitle>{t('reports.summary.title')}</CardTitle>
					<table className="w-full text-sm tabular-nums" data-testid="revenue-summary">
						<tbody>
							{lines.map(([key, v, strong]) => (
								<tr key={key} className="border-t border-gray-100 first:border-0 dark:border-gray-800">
									<th scope="row" className={`py-1 text-start ${strong ? 'font-semibold' : 'font-normal'}`}>{t(`reports.summary.${key}`)}</th>
									<td className={`py-1 text-end ${strong ? 'font-semibold' : ''}`} data-key={key}>{money(v)}</td>
								</tr>
							))}
						</tbody>
					</table>
				</Card>
				<div className="space-y-4">
					<Stat label={t('reports.summary.activePaid')} value={formatNumber(lang, f.activePaid)} />
					<Card>
						<CardTitle>{t('reports.summary.approvalTitle')}</CardTitle>
						{f.approval.count ? (
							<dl className="grid grid-cols-2 gap-1 text-sm">
								<dt className="text-gray-500">{t('reports.summary.median')}</dt>
								<dd className="text-end tabular-nums">{minutes(f.approval.medianSec)}</dd>
								<dt className="text-gray-500">{t('reports.summary.p90')}</dt>
								<dd className="text-end tabular-nums">{minutes(f.approval.p90Sec)}</dd>
								<dd className="col-span-2 text-xs text-gray-500">{t('reports.summary.approvals', { count: f.approval.count })}</dd>
							</dl>
						) : (
							<p className="text-sm text-gray-500">{t('reports.summary.none')}</p>
						)}
					</Card>
				</div>
			</div>
			<Card>
				<CardTitle>{t('reports.charts.perDay')}</CardTitle>
				<BarChart data={f.perDay.map((d) => ({ label: jalaliDate(d.day, lang).slice(5), value: Number(d.net) }))} format={money} title={t('reports.charts.perDay')} tableLabel={t('reports.charts.table')} />
			</Card>
			<Card>
				<CardTitle>{t('reports.charts.perMonth')}</CardTitle>
				<BarChart data={f.perMonth.map((m) => ({ label: lang === 'fa' ? persianDigits(m.month) : m.month, value: Number(m.net) }))} format={money} title={t('reports.charts.perMonth')} tableLabel={t('reports.charts.table')} />
			</Card>
			<div className={`grid gap-4 ${showResellers ? 'md:grid-cols-3' : 'md:grid-cols-2'}`}>
				<Card><ShareBars data={named(f.byPlan, t('reports.charts.noPlan'))} format={money} title={t('reports.charts.byPlan')} nameLabel={t('reports.charts.name')} valueLabel={t('reports.charts.amount')} /></Card>
				{showResellers ? <Card><ShareBars data={named(f.byReseller, t('reports.charts.store'))} format={money} title={t('reports.charts.byReseller')} nameLabel={t('reports.charts.name')} valueLabel={t('reports.charts.amount')} /></Card> : null}
				<Card><ShareBars data={named(f.byNode, t('reports.charts.unattributed'))} format={money} title={t('reports.charts.byNode')} nameLabel={t('reports.charts.name')} valueLabel={t('reports.charts.amount')} /></Card>
			</div>
		</div>
	)
}
