// The monthly statement screen (issue 14), shared by /reseller/statements and the admin's
// /admin/resellers/:id/statement: month picker (a plain GET form, so it works without JS),
// calendar toggle, downloads, the summary figures and the month's entries as stacked rows that
// fit a 360 px phone.
import { Form, Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { inputClass } from '~/components/forms'
import { Button } from '~/components/ui/button'
import { Card, CardTitle, Stat } from '~/components/ui/card'
import { EmptyState } from '~/components/ui/empty-state'
import type { StatementPageData } from '~/services/statements/page.server'
import { statementDate } from '~/services/statements/month'
import { formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'

interface Props {
	data: StatementPageData
	/** The screen's own path; the downloads are `${basePath}/xlsx` and `${basePath}/pdf`. */
	basePath: string
	customerHref: (c: { id: number; username: string }) => string
}

export function StatementView({ data, basePath, customerHref }: Props) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const { summary: s, rows, nextCursor, month, options, search, display } = data
	const money = (v: bigint) => formatMoney(lang, v, s.reseller.currency, display)
	const linkClass = 'text-sm font-medium text-accent hover:underline'
	return (
		<div className="mx-auto max-w-3xl" data-testid="statement">
			<div className="mb-3 flex flex-wrap items-center gap-2">
				<Form method="get" action={basePath} className="flex min-w-0 flex-wrap items-center gap-2" data-testid="statement-picker">
					<input type="hidden" name="cal" value={month.cal} />
					<select name="month" defaultValue={month.key} aria-label={t('statements.picker.month')} className={`${inputClass} w-auto min-w-0`}>
						{options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
					</select>
					<Button type="submit" variant="secondary" size="sm">{t('statements.picker.show')}</Button>
				</Form>
				<nav className="flex items-center gap-3 text-sm" aria-label={t('statements.calendar.label')}>
					<Link to={`${basePath}${search.previous}`} className={linkClass} rel="prev">{t('statements.picker.previous')}</Link>
					<Link to={`${basePath}${search.next}`} className={linkClass} rel="next">{t('statements.picker.next')}</Link>
					<Link to={`${basePath}${search.otherCalendar}`} className={linkClass} data-testid="other-calendar">
						{t(`statements.calendar.${month.cal === 'jalali' ? 'gregorian' : 'jalali'}`)}
					</Link>
				</nav>
				<div className="ms-auto flex gap-3 text-sm">
					<a href={`${basePath}/xlsx${search.self}`} className={linkClass} data-testid="statement-xlsx" download>{t('statements.download.xlsx')}</a>
					<a href={`${basePath}/pdf${search.self}`} className={linkClass} data-testid="statement-pdf">{t('statements.download.pdf')}</a>
				</div>
			</div>
			<div className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="statement-figures">
				<Stat label={t('statements.opening')} value={<span className="text-base" data-testid="statement-opening">{money(s.opening)}</span>} />
				<Stat label={t('statements.credits')} value={<span className="text-base text-green-700 dark:text-green-400">{money(s.credits)}</span>} />
				<Stat label={t('statements.debits')} value={<span className="text-base text-red-600 dark:text-red-400">{money(s.debits)}</span>} />
				<Stat label={t('statements.closing')} value={<span className="text-base" data-testid="statement-closing">{money(s.closing)}</span>} />
				<Stat label={t('statements.creditUsedClosing')} value={<span className="text-base">{money(s.creditUsed.closing)}</span>} hint={t('statements.creditOf', { limit: money(s.creditUsed.limit) })} />
				<Stat label={t('statements.creditUsedPeak')} value={<span className="text-base">{money(s.creditUsed.peak)}</span>} />
			</div>
			<Card className="mt-4">
				<CardTitle action={<span className="text-xs text-gray-500">{t('statements.count', { count: s.count, n: formatNumber(lang, s.count) })}</span>}>{t('statements.entries')}</CardTitle>
				{rows.length === 0 ? (
					<EmptyState icon="wallet" title={t('statements.empty')} />
				) : (
					<ul className="divide-y divide-gray-100 text-sm dark:divide-gray-800" data-testid="statement-rows">
						{rows.map((r) => (
							<li key={String(r.id)} className="flex items-start justify-between gap-3 py-2" data-testid="statement-row">
								<div className="min-w-0">
									<p className="font-medium">{t(`statements.operations.${r.operation}`)}</p>
									{r.customer ? (
										<Link to={customerHref(r.customer)} className="text-xs font-medium text-accent hover:underline" data-testid="statement-customer">
											<bdi dir="ltr">{r.customer.username}</bdi>
										</Link>
									) : r.refType === 'payment' && r.refId ? (
										<p className="text-xs text-gray-500">{t('statements.ref.payment', { id: r.refId })}</p>
									) : null}
									<p className="text-xs text-gray-500"><bdi dir="ltr">{statementDate(lang, month.cal, r.at, true)}</bdi></p>
									{r.note && !r.customer ? <p className="text-xs break-words text-gray-500">{r.note}</p> : null}
								</div>
								<div className="shrink-0 text-end tabular-nums">
									<p className={r.amount < 0n ? 'text-red-600 dark:text-red-400' : 'text-green-700 dark:text-green-400'} data-amount={String(r.amount)}>
										{r.amount > 0n ? '+' : ''}{money(r.amount)}
									</p>
									<p className="text-xs text-gray-500">{t('statements.columns.balanceAfter')} <bdi>{money(r.balanceAfter)}</bdi></p>
								</div>
							</li>
						))}
					</ul>
				)}
				<nav className="mt-3 flex justify-between text-sm" aria-label="pagination">
					{data.paged ? <Link to={`${basePath}${search.self}`} className={linkClass}>{t('statements.first')}</Link> : <span />}
					{nextCursor ? <Link to={`${basePath}${search.self}&after=${nextCursor}`} className={linkClass} rel="next">{t('statements.more')}</Link> : null}
				</nav>
			</Card>
		</div>
	)
}
