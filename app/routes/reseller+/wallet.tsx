import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PageHeader } from '~/components/shell'
import { Card, CardTitle, Stat } from '~/components/ui/card'
import { EmptyState } from '~/components/ui/empty-state'
import { cn } from '~/components/ui/cn'
import { ledgerPage, requireResellerProfile, walletSummary } from '~/models/reseller-area.server'
import { formatBytes, formatDate } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'
import { parseListParams } from '~/utils/pagination.server'

export async function loader({ request }: LoaderFunctionArgs) {
	const { reseller } = await requireResellerProfile(request)
	const { after } = parseListParams(request)
	const asked = new URL(request.url).searchParams.get('account')
	const account = asked === 'money' || asked === 'traffic' ? asked : reseller.fundingModel === 'pool' ? 'traffic' : 'money'
	return { wallet: walletSummary(reseller), account, after: after ?? null, ...(await ledgerPage(reseller.id, account, after)) }
}

export default function WalletPage() {
	const { wallet, account, after, rows, nextCursor } = useLoaderData<typeof loader>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const location = useLocation()
	const money = (v: bigint) => formatMoney(lang, v, wallet.currency)
	const amountOf = (v: bigint) => (account === 'traffic' ? formatBytes(lang, v) : money(v))
	const pool = wallet.fundingModel === 'pool'
	const pageUrl = (cursor: string | null) => {
		const next = new URLSearchParams(location.search)
		if (cursor) next.set('after', cursor)
		else next.delete('after')
		return `${location.pathname}?${next}`
	}
	return (
		<div className="mx-auto max-w-3xl">
				<PageHeader title={t('wallet.title')} />
				<div className="grid grid-cols-2 gap-3 sm:grid-cols-3" data-testid="wallet-figures">
					<Stat label={t('wallet.balance')} value={<span data-testid="wallet-balance" className="text-lg">{money(wallet.balance)}</span>} hint={wallet.negativeSince ? t('wallet.negativeSince', { date: formatDate(lang, wallet.negativeSince, 'datetime') }) : undefined} />
					<Stat label={t('wallet.creditLimit')} value={<span className="text-lg">{money(wallet.creditLimit)}</span>} />
					<Stat label={t('wallet.available')} value={<span data-testid="wallet-available" className="text-lg">{money(wallet.available)}</span>} />
					{pool ? (
						<>
							<Stat label={t('wallet.pool')} value={<span data-testid="wallet-pool" className="text-lg">{formatBytes(lang, wallet.poolBytes)}</span>} />
							<Stat
								label={t('wallet.poolWindow')}
								value={<span className="text-sm">{wallet.poolWindowStart || wallet.poolWindowEnd ? `${wallet.poolWindowStart ? formatDate(lang, wallet.poolWindowStart) : '…'} – ${wallet.poolWindowEnd ? formatDate(lang, wallet.poolWindowEnd) : '…'}` : t('wallet.noWindow')}</span>}
							/>
						</>
					) : null}
				</div>
				<Card className="mt-4">
					<CardTitle
						action={
							pool ? (
								<nav className="flex gap-1 text-xs" aria-label={t('wallet.accounts')}>
									{(['traffic', 'money'] as const).map((a) => (
										<Link key={a} to={`?account=${a}`} className={cn('rounded-md px-2 py-1', a === account ? 'bg-accent/10 font-medium text-accent' : 'text-gray-600')}>{t(`wallet.account.${a}`)}</Link>
									))}
								</nav>
							) : null
						}
					>
						{t('wallet.history')}
					</CardTitle>
					{rows.length === 0 ? (
						<EmptyState title={t('wallet.empty')} />
					) : (
						<ul className="divide-y divide-gray-100 text-sm dark:divide-gray-800" data-testid="ledger">
							{rows.map((e) => (
								<li key={String(e.id)} className="flex items-start justify-between gap-3 py-2" data-testid="ledger-entry">
									<div className="min-w-0">
										<p className="font-medium">{t(`wallet.kinds.${e.kind}`, { defaultValue: e.kind })}{e.refType === 'order' && e.refId ? <span className="text-gray-500"> · {t('wallet.order', { id: e.refId })}</span> : null}</p>
										<p className="text-xs text-gray-500">{formatDate(lang, e.createdAt, 'datetime')}</p>
										{e.note ? <p className="text-xs break-words text-gray-500">{e.note}</p> : null}
									</div>
									<div className="shrink-0 text-end tabular-nums">
										<p className={e.amount < 0n ? 'text-red-600 dark:text-red-400' : 'text-green-700 dark:text-green-400'} data-testid="ledger-amount" data-amount={String(e.amount)}>
											{e.amount > 0n ? '+' : ''}{amountOf(e.amount)}
										</p>
										<p className="text-xs text-gray-500">{t('wallet.after')} <bdi>{amountOf(e.balanceAfter)}</bdi></p>
									</div>
								</li>
							))}
						</ul>
					)}
					<nav className="mt-3 flex justify-between text-sm" aria-label="pagination">
						{after ? <Link to={pageUrl(null)} className="text-accent hover:underline">{t('table.previous')}</Link> : <span />}
						{nextCursor ? <Link to={pageUrl(nextCursor)} className="text-accent hover:underline" rel="next">{t('table.next')}</Link> : null}
					</nav>
				</Card>
		</div>
	)
}
