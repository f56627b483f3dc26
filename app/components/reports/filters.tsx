// The reports' filter form: a plain GET form (works without JavaScript). Dates are typed, not
// picked: Jalali yyyy/mm/dd in Persian (Persian digits shown and accepted), Gregorian in English.
import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ErrorList, inputClass } from '~/components/forms'
import { Button } from '~/components/ui/button'
import { jalaliText } from '~/services/reports/dates'
import type { Lang } from '~/utils/i18n'
import type { ReportsView } from './types'

const persianDigits = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)))

/** A Gregorian 'YYYY-MM-DD' as the reader types dates: Jalali with Persian digits, or as is. */
export function dayInput(day: string, lang: Lang) {
	return lang === 'fa' ? persianDigits(jalaliText(day)) : day
}

export function ReportFilters({ view }: { view: ReportsView }) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const f = view.filters
	const select = (name: 'resellerId' | 'nodeId' | 'planId', label: string, rows: Array<{ id: number; name: string }>) => (
		<label className="space-y-1 text-sm">
			<span className="block font-medium text-gray-700 dark:text-gray-300">{label}</span>
			<select name={name} defaultValue={f[name] ?? ''} className={inputClass}>
				<option value="">{t('reports.filters.any')}</option>
				{rows.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
			</select>
		</label>
	)
	return (
		<Form method="get" className="grid grid-cols-2 gap-3 sm:grid-cols-3" aria-label={t('reports.filters.title')}>
			{(['from', 'to'] as const).map((k) => (
				<label key={k} className="space-y-1 text-sm">
					<span className="block font-medium text-gray-700 dark:text-gray-300">{t(`reports.filters.${k}`)}</span>
					<input name={k} defaultValue={dayInput(f[k], lang)} dir="ltr" inputMode="numeric" placeholder={lang === 'fa' ? '۱۴۰۵/۰۹/۰۱' : '2026-11-22'} title={t('reports.filters.dateHint')} className={inputClass} aria-invalid={view.errors?.[k] ? true : undefined} />
					<ErrorList errors={view.errors?.[k]} />
				</label>
			))}
			{view.currencies.length > 1 ? (
				<label className="space-y-1 text-sm">
					<span className="block font-medium text-gray-700 dark:text-gray-300">{t('reports.filters.currency')}</span>
					<select name="currency" defaultValue={view.currency} className={inputClass}>
						{view.currencies.map((c) => <option key={c} value={c}>{c}</option>)}
					</select>
				</label>
			) : null}
			{view.options ? (
				<>
					{select('resellerId', t('reports.filters.reseller'), view.options.resellers)}
					{select('nodeId', t('reports.filters.node'), view.options.nodes)}
					{select('planId', t('reports.filters.plan'), view.options.plans)}
				</>
			) : null}
			<div className="col-span-2 flex items-end sm:col-span-1">
				<Button type="submit" variant="secondary" className="w-full">{t('reports.filters.apply')}</Button>
			</div>
			<p className="col-span-2 text-xs text-gray-500 sm:col-span-3">{t('reports.filters.dateHint')}</p>
		</Form>
	)
}
