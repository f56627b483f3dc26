// One router's dashboard (issue 13): status, the cycle's usage against its quotas with a
// projection, the cycle-to-date daily bars, the last 24 h, the top peers, held anomalies to review
// and every peer as a card (searchable, paged). Rollup rows only, so it stays fast at 2,000 peers.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { BarChart, LineChart } from '~/components/charts'
import { dayLabel, hourLabel, instantLabel, longDay } from '~/components/routers/format'
import { PeerCard } from '~/components/routers/peer-card'
import { UsageBar } from '~/components/routers/usage-bar'
import { PageHeader } from '~/components/shell'
import { Button } from '~/components/ui/button'
import { Card, CardTitle } from '~/components/ui/card'
import { StatusPill } from '~/components/ui/status-pill'
import { inputClass } from '~/components/forms'
import { projectQuotaDate, routerDashboard } from '~/models/router.server'
import { AnomalySchema } from '~/models/router-form'
import { routerFromParams } from '~/models/router-params.server'
import { cycleStart, dateToDay, localDay, localMidnight, nextCycleStart } from '~/services/routers/calendar'
import { decideAnomaly } from '~/services/routers/routers.server'
import { requireAdmin } from '~/utils/auth.server'
import { formatBytes, formatNumber } from '~/utils/format'
import { readFormFields } from '~/utils/form-data.server'
import type { Lang } from '~/utils/i18n'
import { redirectWithToast } from '~/utils/toast.server'

export async function loader({ request, params }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const router = await routerFromParams(request, params)
	const url = new URL(request.url)
	// Control characters (NUL above all) cannot reach Postgres; nobody searches for them.
	const q = (url.searchParams.get('q') ?? '').replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 100)
	const page = Math.min(10_000, Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1))
	const now = new Date()
	const rule = { timezone: router.timezone, resetDay: router.resetDay, calendar: router.calendar }
	const cycle = cycleStart(now, rule)
	const next = nextCycleStart(cycle, rule)
	// The router row (read above) carries its counts; the rest is one statement.
	const { daily, hours, peers, anomalies } = await routerDashboard(router, { cycle, today: localDay(now, router.timezone), now, q, page })
	const startAt = localMidnight(cycle, router.timezone)
	const nextAt = localMidnight(next, router.timezone)
	const project = (used: string, quota: string | null) => projectQuotaDate(BigInt(used), quota === null ? null : BigInt(quota), startAt, nextAt, now)?.toISOString() ?? null
	// Only this cycle's total counts against the quotas (a router polled last cycle shows 0 now).
	const cycleBytes = router.cycleStart && dateToDay(router.cycleStart) === cycle ? String(router.statCycleBytes) : '0'
	const quotaBytes = router.statQuotaBytes?.toString() ?? null
	return {
		router: { id: router.id, name: router.name, identity: router.identity, version: router.version, stale: router.stale, lastPollOkAt: router.lastPollOkAt?.toISOString() ?? null, lastPollError: router.lastPollError, timezone: router.timezone, calendar: router.calendar, interfaces: router.interfaces },
		summary: { peers: router.statPeers, online: router.statOnline, cycleBytes, quotaBytes, projection: project(cycleBytes, quotaBytes) },
		cycle, next, daily, hours, anomalies, q,
		peers: { ...peers, peers: peers.peers.map((p) => ({ ...p, projection: project(p.cycleBytes, p.quotaBytes) })) },
	}
}

export async function action({ request, params }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	const router = await routerFromParams(request, params)
	const parsed = AnomalySchema.safeParse(await readFormFields(request))
	if (!parsed.success) return data({ error: 'errors.invalid' }, { status: 400 })
	const done = await decideAnomaly(router.id, BigInt(parsed.data.anomalyId), parsed.data.intent === 'approve', admin.id)
	if (!done) return data({ error: 'routers.errors.anomalyDecided' }, { status: 409 })
	return redirectWithToast(`/admin/routers/${router.id}`, { type: 'success', key: parsed.data.intent === 'approve' ? 'routers.anomalies.approved' : 'routers.anomalies.rejected' })
}

export default function RouterDashboard() {
	const { router, summary, cycle, next, daily, hours, anomalies, peers, q } = useLoaderData<typeof loader>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const bytes = (v: number) => formatBytes(lang, BigInt(Math.round(v)))
	const projection = (iso: string | null) => (iso ? t('routers.projection', { date: instantLabel(lang, iso, router.timezone, router.calendar) }) : null)
	return (
		<>
			<PageHeader
				title={router.name}
				action={
					<div className="flex gap-2 text-sm">
						<Link to={`/admin/routers/${router.id}/import`} className="rounded-lg px-3 py-2 ring-1 ring-gray-300 dark:ring-gray-700">{t('routers.reimport')}</Link>
						<Link to={`/admin/routers/${router.id}/settings`} className="rounded-lg px-3 py-2 ring-1 ring-gray-300 dark:ring-gray-700">{t('routers.settings.title')}</Link>
					</div>
				}
			/>
			<div className="mb-4 flex flex-wrap items-center gap-2 text-xs text-gray-500">
				{router.stale ? <StatusPill tone="red" label={t('routers.status.stale')} pulse={false} /> : <StatusPill tone="green" label={t('routers.status.polling')} />}
				<span dir="ltr">{[router.identity, router.version, router.interfaces.join(', ')].filter(Boolean).join(' · ')}</span>
				<span>{router.lastPollOkAt ? t('routers.lastPoll', { when: instantLabel(lang, router.lastPollOkAt, router.timezone, router.calendar) }) : t('routers.notPolledYet')}</span>
				{router.stale && router.lastPollError ? <span className="text-red-600">{t('routers.staleHint', { error: router.lastPollError })}</span> : null}
			</div>
			<div className="grid gap-4 md:grid-cols-3">
				<Card>
					<p className="text-xs text-gray-500">{t('routers.stats.online')}</p>
					<p className="mt-1 text-2xl font-semibold tabular-nums" data-testid="online-count">{formatNumber(lang, summary.online ?? 0)} / {formatNumber(lang, summary.peers ?? 0)}</p>
				</Card>
				<Card className="md:col-span-2">
					<p className="text-xs text-gray-500">{t('routers.cycleRange', { from: longDay(lang, cycle, router.calendar), to: longDay(lang, next, router.calendar) })}</p>
					<p className="mt-1 text-2xl font-semibold tabular-nums" data-testid="cycle-total">{bytes(Number(summary.cycleBytes))}</p>
					<div className="mt-2"><UsageBar used={summary.cycleBytes} quota={summary.quotaBytes ?? null} /></div>
					{projection(summary.projection) ? <p className="mt-2 text-xs text-amber-700">{projection(summary.projection)}</p> : null}
				</Card>
			</div>
			<div className="mt-4 grid gap-4 lg:grid-cols-2">
				<Card>
					<CardTitle>{t('routers.charts.daily')}</CardTitle>
					<BarChart title={t('routers.charts.daily')} data={daily.map((d) => ({ label: dayLabel(lang, d.day, router.calendar), value: Number(d.bytes) }))} format={bytes} highlightLast />
				</Card>
				<Card>
					<CardTitle>{t('routers.charts.hours')}</CardTitle>
					<LineChart title={t('routers.charts.hours')} data={hours.map((h) => ({ label: hourLabel(lang, h.hour, router.timezone, router.calendar), value: Number(h.bytes) }))} format={bytes} />
				</Card>
			</div>
			<div className="mt-4 grid gap-4 lg:grid-cols-3">
				<Card>
					<CardTitle>{t('routers.topPeers')}</CardTitle>
					{peers.top.length ? (
						<ol className="space-y-2 text-sm" data-testid="top-peers">
							{peers.top.map((p) => (
								<li key={p.id} className="flex justify-between gap-2">
									<Link to={`/admin/routers/${router.id}/peers/${p.id}`} className="truncate hover:underline">{p.name || p.comment || p.publicKey.slice(0, 10)}</Link>
									<span className="tabular-nums text-gray-600">{bytes(Number(p.cycleBytes))}</span>
								</li>
							))}
						</ol>
					) : <p className="text-sm text-gray-500">{t('routers.noUsageYet')}</p>}
				</Card>
				<Card className="lg:col-span-2">
					<CardTitle>{t('routers.anomalies.title')}</CardTitle>
					{anomalies.length ? (
						<ul className="space-y-2 text-sm">
							{anomalies.map((a) => (
								<li key={a.id} className="flex flex-wrap items-center justify-between gap-2">
									<span>{t('routers.anomalies.row', { peer: a.name ?? a.peerId, bytes: bytes(Number(a.bytes)), limit: bytes(Number(a.limitBytes)), seconds: formatNumber(lang, a.elapsedSec) })}</span>
									<Form method="post" className="flex gap-2">
										<input type="hidden" name="anomalyId" value={a.id} />
										<Button size="sm" name="intent" value="approve" variant="secondary">{t('routers.anomalies.approve')}</Button>
										<Button size="sm" name="intent" value="reject" variant="secondary">{t('routers.anomalies.reject')}</Button>
									</Form>
								</li>
							))}
						</ul>
					) : <p className="text-sm text-gray-500">{t('routers.anomalies.none')}</p>}
				</Card>
			</div>
			<div className="mt-6 mb-3 flex flex-wrap items-center justify-between gap-2">
				<h2 className="text-sm font-semibold">{t('routers.peersTitle', { count: peers.total, n: formatNumber(lang, peers.total) })}</h2>
				<Form method="get" className="flex gap-2">
					<input name="q" defaultValue={q} placeholder={t('routers.searchPeers')} className={inputClass} aria-label={t('routers.searchPeers')} />
					<Button type="submit" variant="secondary">{t('routers.search')}</Button>
				</Form>
			</div>
			<div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
				{peers.peers.map((p) => (
					<PeerCard key={p.id} peer={p} routerId={router.id} timezone={router.timezone} calendar={router.calendar} projection={projection(p.projection)} />
				))}
			</div>
			{peers.pages > 1 ? (
				<nav className="mt-4 flex justify-center gap-3 text-sm" aria-label={t('routers.pages')}>
					{peers.page > 1 ? <Link to={`?q=${encodeURIComponent(q)}&page=${peers.page - 1}`}>{t('routers.prev')}</Link> : null}
					<span>{formatNumber(lang, peers.page)} / {formatNumber(lang, peers.pages)}</span>
					{peers.page < peers.pages ? <Link to={`?q=${encodeURIComponent(q)}&page=${peers.page + 1}`}>{t('routers.next')}</Link> : null}
				</nav>
			) : null}
		</>
	)
}
