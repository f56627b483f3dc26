import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { StorePlan } from '~/models/plan.server'
import { formatBytes, formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'

/** One plan in the storefront: price (Toman or Rial), days, GB, node count and a buy link (a plain link: works without JavaScript). */
export function PlanCard({ plan, display }: { plan: Omit<StorePlan, 'dataLimitBytes' | 'price'> & { dataLimitBytes: bigint | string; price: bigint | string }; display: 'IRT' | 'IRR' }) {
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const price = BigInt(plan.price)
	return (
		<li className="flex flex-col rounded-xl bg-white p-4 shadow-sm ring-1 ring-gray-200 dark:bg-gray-900 dark:ring-gray-800" data-testid="plan-card">
			<div className="flex items-start justify-between gap-2">
				<h3 className="min-w-0 break-words font-semibold">{plan.name}</h3>
				{plan.trial ? <span className="shrink-0 rounded bg-emerald-100 px-1.5 py-0.5 text-xs text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-200">{t('store.plans.trialBadge')}</span> : null}
			</div>
			<p className="mt-2 text-xl font-bold tabular-nums" data-testid="plan-price">
				{price === 0n ? t('store.front.free') : formatMoney(lang, price, 'IRR', display)}
			</p>
			<dl className="mt-3 space-y-1 text-sm text-gray-600 dark:text-gray-400">
				<div className="flex justify-between gap-2"><dt>{t('store.front.duration')}</dt><dd>{t('store.front.days', { count: plan.days, n: formatNumber(lang, plan.days) })}</dd></div>
				<div className="flex justify-between gap-2"><dt>{t('store.front.traffic')}</dt><dd>{formatBytes(lang, BigInt(plan.dataLimitBytes))}</dd></div>
				<div className="flex justify-between gap-2"><dt>{t('store.front.locations')}</dt><dd>{t('store.front.nodes', { count: plan.nodeCount, n: formatNumber(lang, plan.nodeCount) })}</dd></div>
			</dl>
			<Link to={`/store/checkout/${plan.id}`} className="mt-4 rounded-lg bg-accent px-3 py-2 text-center text-sm font-medium text-white hover:bg-accent-strong" data-testid="buy">
				{plan.trial ? t('store.front.tryFree') : price === 0n ? t('store.front.getFree') : t('store.front.buy')}
			</Link>
		</li>
	)
}
