import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { AuditEntry } from '~/components/audit/entry'
import { inputClass } from '~/components/forms'
import { PageHeader } from '~/components/shell'
import { Button } from '~/components/ui/button'
import { Card } from '~/components/ui/card'
import { EmptyState } from '~/components/ui/empty-state'
import { AUDIT_ACTIONS, AUDIT_GROUPS, eventName } from '~/models/audit-actions'
import { auditPage, parseAuditFilters } from '~/models/audit-log.server'
import { requireAdmin } from '~/utils/auth.server'
import type { Lang } from '~/utils/i18n'

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const filters = parseAuditFilters(request)
	return { filters, ...(await auditPage(filters)) }
}

export default function AdminAudit() {
	const { filters, rows, nextBefore } = useLoaderData<typeof loader>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const location = useLocation()
	const pageUrl = (before: string | null) => {
		const next = new URLSearchParams(location.search)
		if (before) next.set('before', before)
		else next.delete('before')
		return `${location.pathname}?${next.toString()}`
	}
	// Persian admins type Jalali days (the English form uses the browser's Gregorian date input).
	const dayInput = lang === 'fa' ? { type: 'text', inputMode: 'numeric' as const, placeholder: t('audit.filters.dayPlaceholder'), dir: 'ltr' } : { type: 'date', dir: 'ltr' }
	return (
		<div className="mx-auto max-w-4xl">
			<PageHeader title={t('audit.title')} />
			<Form method="get" className="mb-4 grid grid-cols-1 gap-2 sm:grid-cols-3" aria-label={t('audit.filters.label')}>
				<select name="kind" defaultValue={filters.kind ?? ''} className={inputClass} aria-label={t('audit.filters.kind')}>
					<option value="">{t('audit.filters.allKinds')}</option>
					{AUDIT_GROUPS.map((g) => (
						<optgroup key={g} label={t(`audit.groups.${g}`)}>
							<option value={g}>{t('audit.filters.wholeGroup', { group: t(`audit.groups.${g}`) })}</option>
							{AUDIT_ACTIONS.filter((a) => a.startsWith(`${g}.`)).map((a) => <option key={a} value={a}>{eventName(t, a)}</option>)}
						</optgroup>
					))}
				</select>
				<input name="actor" defaultValue={filters.actor ?? ''} placeholder={t('audit.filters.actor')} aria-label={t('audit.filters.actor')} className={inputClass} dir="ltr" />
				<label className="flex items-center gap-2 text-sm">
					<input type="checkbox" name="system" value="1" defaultChecked={Boolean(filters.system)} />
					{t('audit.filters.systemOnly')}
				</label>
				<input name="entityType" defaultValue={filters.entityType ?? ''} placeholder={t('audit.filters.entityType')} aria-label={t('audit.filters.entityType')} className={inputClass} dir="ltr" />
				<input name="entityId" defaultValue={filters.entityId ?? ''} placeholder={t('audit.filters.entityId')} aria-label={t('audit.filters.entityId')} className={inputClass} dir="ltr" />
				<span className="hidden sm:block" />
				<label className="flex items-center gap-2 text-sm">
					<span className="w-10 shrink-0 text-gray-600 dark:text-gray-400">{t('audit.filters.from')}</span>
					<input name="from" defaultValue={filters.from ?? ''} aria-label={t('audit.filters.from')} className={inputClass} {...dayInput} />
				</label>
				<label className="flex items-center gap-2 text-sm">
					<span className="w-10 shrink-0 text-gray-600 dark:text-gray-400">{t('audit.filters.to')}</span>
					<input name="to" defaultValue={filters.to ?? ''} aria-label={t('audit.filters.to')} className={inputClass} {...dayInput} />
				</label>
				<div className="flex gap-2">
					<Button type="submit" variant="secondary" className="flex-1">{t('audit.filters.apply')}</Button>
					<Link to={location.pathname} className="rounded-lg px-3 py-2 text-sm font-medium text-accent hover:underline">{t('audit.filters.clear')}</Link>
				</div>
			</Form>
			<Card>
				{rows.length === 0 ? (
					<EmptyState title={t('audit.empty')} />
				) : (
					<ul className="divide-y divide-gray-100 text-sm dark:divide-gray-800" data-testid="audit-list">
						{rows.map((r) => <AuditEntry key={r.id} row={r} filterUrl={`${location.pathname}?${new URLSearchParams({ entityType: r.entityType, ...(r.entityId ? { entityId: r.entityId } : {}) }).toString()}`} />)}
					</ul>
				)}
			</Card>
			<nav className="mt-3 flex justify-between gap-2 text-sm" aria-label={t('audit.pages')}>
				{filters.before ? <Link to={pageUrl(null)} className="font-medium text-accent hover:underline">{t('audit.newest')}</Link> : <span />}
				{nextBefore ? <Link to={pageUrl(nextBefore)} className="font-medium text-accent hover:underline" data-testid="audit-older">{t('audit.older')}</Link> : null}
			</nav>
		</div>
	)
}
