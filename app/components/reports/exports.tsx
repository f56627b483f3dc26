// Excel exports: the form (the page's filters ride along as hidden fields) and the list with
// progress. Without JavaScript a refresh shows progress; with it, the page polls while one runs.
import { Form, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ErrorList, inputClass } from '~/components/forms'
import { Button } from '~/components/ui/button'
import { Card, CardTitle } from '~/components/ui/card'
import { StatusPill } from '~/components/ui/status-pill'
import { EXPORT_KINDS } from '~/services/reports/filters'
import { formatDate, formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { usePoll } from '~/utils/use-poll'
import { dayInput } from './filters'
import type { ReportsView } from './types'

const TONE = { queued: 'gray', running: 'amber', done: 'green', failed: 'red', expired: 'gray' } as const

export function ReportExports({ view, base, errors }: { view: ReportsView; base: string; errors?: Record<string, string[]> | null }) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const [params] = useSearchParams()
	const active = view.exports.some((e) => e.status === 'queued' || e.status === 'running')
	usePoll(active, 2000)
	const kinds = view.kinds ?? EXPORT_KINDS
	const f = view.filters
	const hidden: Array<[string, string]> = [
		['from', dayInput(f.from, lang)],
		['to', dayInput(f.to, lang)],
		...(['resellerId', 'nodeId', 'planId'] as const).flatMap((k): Array<[string, string]> => (f[k] != null ? [[k, String(f[k])]] : [])),
	]
	return (
		<Card>
			<CardTitle>{t('reports.exports.title')}</CardTitle>
			<Form method="post" className="flex flex-wrap items-end gap-2">
				{hidden.map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
				<label className="min-w-48 flex-1 space-y-1 text-sm">
					<span className="block font-medium text-gray-700 dark:text-gray-300">{t('reports.exports.kind')}</span>
					<select name="kind" className={inputClass} defaultValue={kinds[0]}>
						{kinds.map((k) => <option key={k} value={k}>{t(`reports.kinds.${k}`)}</option>)}
					</select>
				</label>
				<Button type="submit" name="intent" value="export">{t('reports.exports.start')}</Button>
			</Form>
			<ErrorList errors={errors ? Object.values(errors).flat() : null} />
			<h3 className="mt-4 text-sm font-semibold">{t('reports.exports.list')}</h3>
			{view.exports.length === 0 ? (
				<p className="mt-1 text-sm text-gray-500">{t('reports.exports.empty')}</p>
			) : (
				<table className="mt-2 w-full text-sm" data-testid="exports">
					<thead>
						<tr className="text-xs text-gray-500">
							<th scope="col" className="py-1 text-start font-medium">{t('reports.exports.columns.kind')}</th>
							<th scope="col" className="hidden py-1 text-start font-medium sm:table-cell">{t('reports.exports.columns.created')}</th>
							<th scope="col" className="py-1 text-start font-medium">{t('reports.exports.columns.progress')}</th>
							<th scope="col" className="py-1 text-end font-medium">{t('reports.exports.columns.file')}</th>
						</tr>
					</thead>
					<tbody>
						{view.exports.map((e) => (
							<tr key={e.id} className="border-t border-gray-100 align-top dark:border-gray-800">
								<td className="py-1.5">{t(`reports.kinds.${e.kind}`, { defaultValue: e.kind })}</td>
								<td className="hidden py-1.5 sm:table-cell">{formatDate(lang, e.createdAt, 'datetime')}</td>
								<td className="py-1.5">
									<span title={e.error ?? undefined}>
										<StatusPill tone={TONE[e.status as keyof typeof TONE] ?? 'gray'} pulse={e.status === 'running'} label={t(`reports.exports.status.${e.status}`, { defaultValue: e.status })} />
									</span>
									{e.reason ? <span className="mt-1 block text-xs text-red-700 dark:text-red-400" data-testid="export-error">{t(e.reason)}</span> : null}
									{e.rowsTotal != null && !e.reason ? (
										<>
											<progress className="mt-1 block h-1.5 w-full" max={Math.max(1, e.rowsTotal)} value={e.rowsDone} />
											<span className="text-xs text-gray-500 tabular-nums">{t('reports.exports.progress', { done: formatNumber(lang, e.rowsDone), total: formatNumber(lang, e.rowsTotal) })}</span>
										</>
									) : null}
								</td>
								<td className="py-1.5 text-end">
									{e.status === 'done' ? (
										<a href={`${base}/${e.id}/download`} className="font-medium text-accent hover:underline" download>{t('reports.exports.download')}</a>
									) : e.status === 'expired' ? (
										// its file was deleted by the retention task (REPORT_RETENTION_DAYS): no link to a 410
										<span className="text-xs text-gray-500">{t('reports.exports.expired')}</span>
									) : null}
								</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
			{active ? (
				<a href={`${base}?${params.toString()}`} className="mt-2 inline-block text-sm text-accent hover:underline">{t('reports.exports.refresh')}</a>
			) : null}
		</Card>
	)
}
