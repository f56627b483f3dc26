// The jobs console's sections. Every button is a plain POST form with an `intent`, so the console
// works without JavaScript; discarding asks first.
import { Form } from '@remix-run/react'
import { Children, cloneElement, isValidElement, type ReactElement, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from './ui/button'
import { Card, CardTitle } from './ui/card'
import { cn } from './ui/cn'
import { CARD_CELL, CARD_ROW } from './ui/data-table'
import { ConfirmButton } from './ui/dialog'
import { EmptyState } from './ui/empty-state'
import { StatusPill } from './ui/status-pill'
import { formatBytes, formatDate, formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'

/** 850 ms, 12 s, 5 min, 3 h, 2 d — in the reader's language. */
export function formatDuration(lang: Lang, ms: number) {
	const unit = (value: number, u: string, digits = 0) => formatNumber(lang, value, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: digits })
	if (ms < 1000) return unit(ms, 'millisecond')
	if (ms < 60_000) return unit(ms / 1000, 'second', 1)
	if (ms < 3_600_000) return unit(Math.floor(ms / 60_000), 'minute')
	if (ms < 86_400_000) return unit(Math.floor(ms / 3_600_000), 'hour')
	return unit(Math.floor(ms / 86_400_000), 'day')
}

type El = ReactElement<{ className?: string; children?: ReactNode; 'data-label'?: string }>

/**
 * A table whose rows become stacked cards below md (each cell labelled with its header, as in
 * DataTable), so nothing is cut off inside its card at 360 px (issue 15).
 */
export function SimpleTable({ headers, children, testId }: { headers: string[]; children: ReactNode; testId?: string }) {
	const rows = Children.map(children, (tr) => {
		if (!isValidElement(tr)) return tr
		const row = tr as El
		let i = 0
		const cells = Children.map(row.props.children, (td) => (isValidElement(td) ? cloneElement(td as El, { 'data-label': headers[i++] ?? '', className: cn((td as El).props.className, CARD_CELL) }) : td))
		return cloneElement(row, { className: cn(row.props.className, CARD_ROW) }, cells)
	})
	return (
		<div className="md:-mx-4 md:overflow-x-auto md:px-4">
			<table className="min-w-full divide-y divide-gray-200 text-sm max-md:block max-md:divide-y-0 dark:divide-gray-800" data-testid={testId}>
				<thead className="max-md:hidden">
					<tr>
						{headers.map((h) => (
							<th key={h} scope="col" className="px-2 py-2 text-start text-xs font-semibold whitespace-nowrap text-gray-600 dark:text-gray-300">{h}</th>
						))}
					</tr>
				</thead>
				<tbody className="divide-y divide-gray-100 max-md:block max-md:space-y-2 max-md:divide-y-0 dark:divide-gray-800">{rows}</tbody>
			</table>
		</div>
	)
}

const cell = 'px-2 py-2 align-top whitespace-nowrap text-gray-700 dark:text-gray-300'

interface TaskRow {
	task: string
	lastRun: { startedAt: Date; finished: boolean; durationMs: number | null; items: number; failures: number; error: string | null } | null
	schedule: string[]
	queued: number
	running: number
	nextRunAt: Date | null
}

export function TasksCard({ tasks }: { tasks: TaskRow[] }) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const j = (k: string) => t(`automation.jobs.tasks.${k}`)
	return (
		<Card>
			<CardTitle>{j('title')}</CardTitle>
			<SimpleTable headers={[j('task'), j('lastRun'), j('duration'), j('items'), j('failures'), j('schedule'), j('nextRun')]} testId="tasks">
				{tasks.map((r) => (
					<tr key={r.task} data-testid={`task-${r.task}`}>
						<td className={cell}>
							<code className="text-xs font-medium">{r.task}</code>
							{r.running > 0 ? <span className="ms-2"><StatusPill tone="green" label={j('running')} /></span> : null}
						</td>
						<td className={cell}>{r.lastRun ? formatDate(lang, r.lastRun.startedAt, 'datetime') : <span className="text-gray-500">{j('never')}</span>}</td>
						<td className={cell}>{r.lastRun?.durationMs != null ? formatDuration(lang, r.lastRun.durationMs) : '–'}</td>
						<td className={cell}>{r.lastRun ? formatNumber(lang, r.lastRun.items) : '–'}</td>
						<td className="px-2 py-2 align-top text-gray-700 dark:text-gray-300">
							{r.lastRun ? <span className={r.lastRun.failures > 0 ? 'font-medium text-red-600' : ''}>{formatNumber(lang, r.lastRun.failures)}</span> : '–'}
							{r.lastRun?.error ? <p className="max-w-xs text-xs break-words text-red-600">{r.lastRun.error}</p> : null}
						</td>
						<td className={cell}>{r.schedule.length ? r.schedule.map((s) => <code key={s} dir="ltr" className="block text-xs">{s}</code>) : <span className="text-gray-500">{j('onDemand')}</span>}</td>
						<td className={cell}>
							{r.nextRunAt ? formatDate(lang, r.nextRunAt, 'datetime') : '–'}
							{r.queued > 0 ? <span className="block text-xs text-gray-500">{t('automation.jobs.tasks.queued', { n: formatNumber(lang, r.queued) })}</span> : null}
						</td>
					</tr>
				))}
			</SimpleTable>
		</Card>
	)
}

interface NodeRow {
	id: number
	name: string
	kind: string
	lastSyncAt: Date | null
	lastSyncMs: number | null
	lastSyncError: string | null
	lastSyncAccounts: number | null
	/** Live accounts the bulk walk did not return, read one by one (and of those, gone from the panel). */
	lastSyncFetched?: number | null
	lastSyncMissing?: number | null
	lagMs: number | null
	drift: number
	state: 'failing' | 'stale' | 'fresh' | 'never'
}

const STATE_TONE = { failing: 'red', stale: 'amber', fresh: 'green', never: 'gray' } as const

export function NodesCard({ nodes }: { nodes: NodeRow[] }) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const j = (k: string) => t(`automation.jobs.nodes.${k}`)
	return (
		<Card>
			<CardTitle>{j('title')}</CardTitle>
			{nodes.length === 0 ? (
				<EmptyState title={j('empty')} />
			) : (
				<SimpleTable headers={[j('node'), j('state'), j('lastSync'), j('lag'), j('accounts'), j('drift'), j('error')]} testId="sync-nodes">
					{nodes.map((n) => (
						<tr key={n.id} data-testid={`sync-node-${n.id}`}>
							<td className={cell}>
								<span className="font-medium">{n.name}</span>
								<span className="block text-xs text-gray-500">{t(`nodes.kinds.${n.kind}`)}</span>
							</td>
							<td className={cell}><StatusPill tone={STATE_TONE[n.state]} label={j(`states.${n.state}`)} pulse={false} /></td>
							<td className={cell}>
								{n.lastSyncAt ? formatDate(lang, n.lastSyncAt, 'datetime') : j('never')}
								{n.lastSyncMs != null ? <span className="block text-xs text-gray-500">{formatDuration(lang, n.lastSyncMs)}</span> : null}
							</td>
							<td className={cell}>{n.lagMs != null ? formatDuration(lang, n.lagMs) : '–'}</td>
							<td className={cell}>
								{n.lastSyncAccounts != null ? formatNumber(lang, n.lastSyncAccounts) : '–'}
								{n.lastSyncFetched ? (
									<span className="block text-xs text-amber-700" data-testid="fetched-individually">
										{t('automation.jobs.nodes.fetched', { count: n.lastSyncFetched, fetched: formatNumber(lang, n.lastSyncFetched), missing: formatNumber(lang, n.lastSyncMissing ?? 0) })}
									</span>
								) : null}
							</td>
							<td className={cell}><span className={n.drift > 0 ? 'font-medium text-amber-700' : ''} data-testid="drift">{formatNumber(lang, n.drift)}</span></td>
							<td className="max-w-xs px-2 py-2 align-top text-xs break-words text-red-600">{n.lastSyncError ?? ''}</td>
						</tr>
					))}
				</SimpleTable>
			)}
		</Card>
	)
}

interface HoldRow {
	id: number
	nodeName: string
	customer: string
	reseller: string | null
	counterBefore: bigint
	counterAfter: bigint
	delta: bigint
	createdAt: Date
}

export function HoldsCard({ holds, total }: { holds: HoldRow[]; total: number }) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const j = (k: string) => t(`automation.jobs.holds.${k}`)
	return (
		<Card>
			<CardTitle action={total > holds.length ? <span className="text-xs text-gray-500">{t('automation.jobs.holds.more', { shown: formatNumber(lang, holds.length), total: formatNumber(lang, total) })}</span> : null}>{j('title')}</CardTitle>
			<p className="mb-3 text-xs text-gray-500">{j('hint')}</p>
			{holds.length === 0 ? (
				<EmptyState title={j('empty')} />
			) : (
				<ul className="divide-y divide-gray-100 dark:divide-gray-800" data-testid="holds">
					{holds.map((h) => (
						<li key={h.id} className="flex flex-wrap items-center justify-between gap-3 py-3" data-testid={`hold-${h.id}`}>
							<div className="min-w-0 text-sm">
								<p className="font-medium break-words">
									{h.customer} <span className="text-gray-500">{t('separators.list')}{h.nodeName}{h.reseller ? `${t('separators.list')}${h.reseller}` : ''}</span>
								</p>
								<p className="text-xs text-gray-500">
									{t('automation.jobs.holds.counters', { before: formatBytes(lang, h.counterBefore), after: formatBytes(lang, h.counterAfter) })}{t('separators.list')}{formatDate(lang, h.createdAt, 'datetime')}
								</p>
								<p className="font-semibold text-amber-700">+{formatBytes(lang, h.delta)}</p>
							</div>
							<Form method="post" className="flex gap-2">
								<input type="hidden" name="holdId" value={h.id} />
								<Button type="submit" name="intent" value="approve_hold" size="sm">{j('approve')}</Button>
								<ConfirmButton name="intent" value="reject_hold" size="sm" variant="secondary" title={j('reject')} body={j('rejectBody')}>{j('reject')}</ConfirmButton>
							</Form>
						</li>
					))}
				</ul>
			)}
		</Card>
	)
}
