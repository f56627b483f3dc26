import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { timeAgoOrNever } from '~/components/admin/ago'
import { BarChart } from '~/components/charts'
import { hourLabel } from '~/components/routers/format'
import { PageHeader } from '~/components/shell'
import { Card, CardTitle, Stat } from '~/components/ui/card'
import { EmptyState } from '~/components/ui/empty-state'
import { StatusPill } from '~/components/ui/status-pill'
import { customerStates, nodesToday } from '~/models/admin-daily.server'
import { eventName } from '~/models/audit-actions'
import { adminFigures, usageLast24h } from '~/models/dashboard.server'
import { requireAdmin } from '~/utils/auth.server'
import { formatBytes, formatDate, formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const now = new Date()
	const [figures, customers, nodes, last24h] = await Promise.all([adminFigures(), customerStates(now), nodesToday(now), usageLast24h(now)])
	// Each node's figure is its last 24 hours, the same window as the chart (not the UTC day).
	const withDay = nodes.map((n) => ({ ...n, last24hBytes: last24h.perNode.get(n.id) ?? 0n }))
	// "Customers" are service accounts (resellers' and the store's), not end-user logins (issue 12).
	return { ...figures, customers: customers.live, customerStates: customers, nodes: withDay, hours: last24h.hours, timezone: last24h.timezone, now }
}

export default function AdminDashboard() {
	const f = useLoaderData<typeof loader>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const n = (v: number) => formatNumber(lang, v)
	return (
		<>
			<PageHeader title={t('admin.dashboard')} action={<StatusPill tone={f.workerAlive ? 'green' : 'red'} label={t(f.workerAlive ? 'admin.workerOk' : 'admin.workerDown')} />} />
			<div className="grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="customer-states">
				<Stat label={t('daily.admin.active')} value={n(f.customerStates.active)} />
				<Stat label={t('daily.admin.expiringSoon')} value={n(f.customerStates.expiringSoon)} />
				<Stat label={t('daily.admin.limited')} value={n(f.customerStates.limited)} />
				<Stat label={t('daily.admin.disabled')} value={n(f.customerStates.disabled)} />
			</div>
			<div className="mt-3 grid grid-cols-2 gap-3" data-testid="queues">
				<QueueLink to="/admin/payments" label={t('daily.admin.pendingPayments')} count={f.queues.payments} testId="pending-payments" />
				<QueueLink to="/admin/jobs" label={t('daily.admin.heldUsage')} count={f.queues.holds} testId="held-usage" />
			</div>
			<div className="mt-4 grid gap-4 lg:grid-cols-2">
				<Card>
					<CardTitle>{t('daily.admin.nodesToday')}</CardTitle>
					{f.nodes.length === 0 ? (
						<EmptyState icon="server" title={t('nodes.empty')} body={t('daily.empty.nodes')} action={<Link to="/admin/nodes/new" className="rounded-lg bg-accent px-3 py-2 text-sm font-medium text-white hover:bg-accent-strong">{t('nodes.add')}</Link>} />
					) : (
						<>
						<BarChart data={f.hours.map((h) => ({ label: hourLabel(lang, h.hour, f.timezone, 'gregorian'), value: Number(h.bytes) }))} format={(v) => formatBytes(lang, BigInt(Math.round(v)))} title={t('daily.admin.hourly')} highlightLast className="mb-3" />
						<ul className="space-y-3 text-sm" data-testid="node-health">
							{f.nodes.map((node) => (
								<li key={node.id} className="space-y-1">
									<div className="flex flex-wrap items-center justify-between gap-2">
										<Link to={`/admin/nodes/${node.id}`} className="min-w-0 truncate font-medium text-accent hover:underline">{node.name}</Link>
										<span className="flex items-center gap-1">
											<StatusPill tone={node.health === 'ok' ? 'green' : node.health === 'down' ? 'red' : 'gray'} label={t(`status.${node.health === 'ok' ? 'ok' : node.health === 'down' ? 'down' : 'unknown'}`)} />
											{node.lastSyncError ? <StatusPill tone="red" pulse={false} label={t('daily.admin.syncFailing')} /> : node.syncStale ? <StatusPill tone="amber" pulse={false} label={t('daily.admin.syncStale')} /> : null}
										</span>
									</div>
									<p className="flex flex-wrap justify-between gap-x-3 text-xs text-gray-500">
										<span className="tabular-nums" data-testid="node-today">{formatBytes(lang, node.last24hBytes)}</span>
										<span className={node.checkStale ? 'text-amber-700 dark:text-amber-400' : undefined} data-testid="node-checked" data-stale={node.checkStale ? 'yes' : 'no'}>
											{t('daily.admin.checked', { ago: timeAgoOrNever(lang, node.lastCheckAt, f.now, t('nodes.never')) })}
										</span>
										<span>{t('daily.admin.synced', { ago: timeAgoOrNever(lang, node.lastSyncAt, f.now, t('nodes.never')) })}</span>
									</p>
								</li>
							))}
						</ul>
						</>
					)}
				</Card>
				<Card>
					<CardTitle action={<Link to="/admin/audit" className="text-xs font-medium text-accent hover:underline">{t('audit.nav')}</Link>}>{t('admin.recentEvents')}</CardTitle>
					{f.recent.length === 0 ? (
						<EmptyState title={t('admin.noEvents')} />
					) : (
						<ul className="divide-y divide-gray-100 text-sm dark:divide-gray-800">
							{f.recent.map((e) => (
								<li key={e.id} className="flex justify-between gap-2 py-2">
									<span className="min-w-0 truncate"><span className="font-medium">{e.actor === 'system' ? t('events.system') : e.actor}</span>{t('events.separator')}{eventName(t, e.action)}</span>
									<span className="shrink-0 text-xs text-gray-500">{formatDate(lang, e.at, 'datetime')}</span>
								</li>
							))}
						</ul>
					)}
				</Card>
			</div>
			<div className="mt-4 grid grid-cols-2 gap-3 lg:grid-cols-4">
				<Stat label={t('admin.resellers')} value={n(f.resellers)} />
				<Stat label={t('admin.admins')} value={n(f.admins)} />
				<Stat label={t('admin.sessions')} value={n(f.sessions)} />
				<Stat label={t('admin.events')} value={n(f.events24h)} />
			</div>
		</>
	)
}

/** A count that waits for the admin, linking to its queue (amber while non-zero). */
function QueueLink({ to, label, count, testId }: { to: string; label: string; count: number; testId: string }) {
	const { i18n } = useTranslation()
	return (
		<Link to={to} className="flex items-center justify-between gap-2 rounded-xl bg-white p-4 shadow-sm ring-1 ring-gray-200 transition hover:shadow-md dark:bg-gray-900 dark:ring-gray-800" data-testid={testId}>
			<span className="min-w-0 text-xs font-medium text-gray-600 dark:text-gray-300">{label}</span>
			<span className={`text-xl font-semibold tabular-nums ${count > 0 ? 'text-amber-700 dark:text-amber-400' : 'text-gray-900 dark:text-gray-50'}`}>{formatNumber(i18n.language as Lang, count)}</span>
		</Link>
	)
}
