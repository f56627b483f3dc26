// One row of the audit log: what happened (its human name), to what, by whom, when, and each
// field that changed as before → after. Money rows written by the ledger's audit trigger carry
// minor units and a currency (`B` = bytes of a traffic pool) and are shown formatted.
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { eventName } from '~/models/audit-actions'
import type { AuditRow } from '~/models/audit-log.server'
import { formatBytes, formatDate } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'

const MONEY_KEYS = new Set(['balance', 'amount'])

export function AuditEntry({ row, filterUrl }: { row: AuditRow; filterUrl: string }) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const currency = typeof row.after?.currency === 'string' ? row.after.currency : null
	const show = (key: string, v: unknown): string => {
		if (v == null) return '—'
		if (currency && MONEY_KEYS.has(key) && typeof v === 'string' && /^-?\d+$/.test(v)) return currency === 'B' ? formatBytes(lang, BigInt(v)) : formatMoney(lang, BigInt(v), currency)
		if (typeof v === 'boolean') return t(v ? 'audit.yes' : 'audit.no')
		return typeof v === 'object' ? JSON.stringify(v) : String(v)
	}
	const keys = [...new Set([...Object.keys(row.before ?? {}), ...Object.keys(row.after ?? {})])].filter((k) => k !== 'currency')
	const arrow = lang === 'fa' ? '←' : '→'
	return (
		<li className="space-y-1 py-3" data-testid="audit-row" data-id={row.id}>
			<div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
				<span className="min-w-0 font-medium break-words" data-testid="audit-name" title={row.action}>{eventName(t, row.action)}</span>
				<span className="shrink-0 text-xs text-gray-500">{formatDate(lang, row.at, 'datetime')}</span>
			</div>
			<p className="flex flex-wrap gap-x-3 text-xs text-gray-600 dark:text-gray-400">
				<span>{t('audit.by', { actor: row.actor ?? t('events.system') })}</span>
				<Link to={filterUrl} className="text-accent hover:underline" dir="ltr" title={t('audit.filterEntity')}>
					{t(`audit.entities.${row.entityType}`, { defaultValue: row.entityType })}
					{row.entityId ? ` #${row.entityId}` : ''}
				</Link>
				{row.ip ? <span dir="ltr">{row.ip}</span> : null}
			</p>
			{keys.length ? (
				<dl className="grid grid-cols-[minmax(0,auto)_minmax(0,1fr)] gap-x-3 text-xs">
					{keys.map((k) => (
						<div key={k} className="contents">
							<dt className="text-gray-500">{t(`audit.fields.${k}`, { defaultValue: k })}</dt>
							<dd className="min-w-0 break-words tabular-nums" dir="auto">
								{row.before && k in row.before ? <>{show(k, row.before[k])} {arrow} </> : null}
								{row.after && k in row.after ? show(k, row.after[k]) : row.before && k in row.before ? '' : null}
							</dd>
						</div>
					))}
				</dl>
			) : null}
		</li>
	)
}
