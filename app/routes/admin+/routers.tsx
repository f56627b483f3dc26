// The MikroTik dashboard (issue 13): one card per router — online/stale pill, peers online,
// the cycle's usage against the peers' quotas and the cycle-to-date daily bars.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { BarChart } from '~/components/charts'
import { dayLabel, instantLabel } from '~/components/routers/format'
import { UsageBar } from '~/components/routers/usage-bar'
import { PageHeader } from '~/components/shell'
import { Card } from '~/components/ui/card'
import { EmptyState } from '~/components/ui/empty-state'
import { StatusPill } from '~/components/ui/status-pill'
import { routerCards } from '~/models/router.server'
import { localDay } from '~/services/routers/calendar'
import { requireAdmin } from '~/utils/auth.server'
import { formatBytes, formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const now = new Date()
	// One statement for every card (counts kept on the routers row, daily bars from router_daily).
	return { routers: await routerCards((timezone) => localDay(now, timezone)) }
}

export default function RoutersDashboard() {
	const { routers } = useLoaderData<typeof loader>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	return (
		<>
			<PageHeader title={t('routers.title')} action={<Link to="/admin/routers/new" className="rounded-lg bg-accent px-3 py-2 text-sm font-medium text-white">{t('routers.add')}</Link>} />
			{routers.length === 0 ? (
				<EmptyState title={t('routers.emptyTitle')} body={t('routers.emptyBody')} />
			) : (
				<div className="grid gap-4 lg:grid-cols-2">
					{routers.map((r) => (
						<Card key={r.id} className="transition hover:shadow-md" data-testid="router-card">
							<div className="flex items-start justify-between gap-2">
								<div className="min-w-0">
									<Link to={`/admin/routers/${r.id}`} className="text-base font-semibold hover:underline">{r.name}</Link>
									<p className="text-xs text-gray-500" dir="ltr">{[r.identity, r.version, r.interfaces.join(', ')].filter(Boolean).join(' · ')}</p>
								</div>
								{r.stale ? <StatusPill tone="red" label={t('routers.status.stale')} pulse={false} /> : r.lastPollOkAt ? <StatusPill tone="green" label={t('routers.status.polling')} /> : <StatusPill tone="gray" label={t('routers.status.waiting')} pulse={false} />}
							</div>
							<dl className="mt-3 grid grid-cols-3 gap-2 text-center">
								<div><dt className="text-xs text-gray-500">{t('routers.stats.online')}</dt><dd className="text-lg font-semibold tabular-nums">{formatNumber(lang, r.online)} / {formatNumber(lang, r.peers)}</dd></div>
								<div><dt className="text-xs text-gray-500">{t('routers.stats.cycle')}</dt><dd className="text-lg font-semibold tabular-nums">{formatBytes(lang, BigInt(r.cycleBytes))}</dd></div>
								<div><dt className="text-xs text-gray-500">{t('routers.stats.disabled')}</dt><dd className="text-lg font-semibold tabular-nums">{formatNumber(lang, r.disabled)}</dd></div>
							</dl>
							<div className="mt-3"><UsageBar used={r.cycleBytes} quota={r.quotaBytes} /></div>
							{r.daily.length ? (
								<BarChart className="mt-3" title={t('routers.charts.daily')} data={r.daily.map((d) => ({ label: dayLabel(lang, d.day, r.calendar), value: Number(d.bytes) }))} format={(v) => formatBytes(lang, BigInt(Math.round(v)))} highlightLast />
							) : null}
							<p className="mt-2 text-xs text-gray-500">
								{r.stale && r.lastPollError ? t('routers.lastError', { error: r.lastPollError }) : r.lastPollOkAt ? t('routers.lastPoll', { when: instantLabel(lang, r.lastPollOkAt, r.timezone, r.calendar) }) : t('routers.notPolledYet')}
								{r.pendingAnomalies ? ` · ${t('routers.anomalies.pending', { count: r.pendingAnomalies, n: formatNumber(lang, r.pendingAnomalies) })}` : ''}
							</p>
						</Card>
					))}
				</div>
			)}
		</>
	)
}
