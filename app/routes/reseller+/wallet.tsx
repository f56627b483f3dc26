import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { inputClass } from '~/components/forms'
import { PageHeader } from '~/components/shell'
import { Button } from '~/components/ui/button'
import { Card, CardTitle, Stat } from '~/components/ui/card'
import { cn } from '~/components/ui/cn'
import { EmptyState } from '~/components/ui/empty-state'
import { LEDGER_KINDS } from '~/models/reseller-ledger.server'
import { requireResellerProfile, walletSummary } from '~/models/reseller-area.server'
import { filterCustomer, parseWalletFilters, walletPage } from '~/models/reseller-wallet.server'
import { formatBytes, formatDate } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'
import { tomanWords } from '~/utils/money-words'

export async function loader({ request }: LoaderFunctionArgs) {
	const { reseller } = await requireResellerProfile(request)
	const filters = parseWalletFilters(request)
	const asked = new URL(request.url).searchParams.get('account')
	const account = asked === 'money' || asked === 'traffic' ? asked : reseller.fundingModel === 'pool' ? 'traffic' : 'money'
	const [page, customer] = await Promise.all([walletPage(reseller.id, account, filters), filterCustomer(reseller.id, filters.customer)])
	return { wallet: walletSummary(reseller), account, filters, customer, kinds: LEDGER_KINDS, ...page }
}

export default function WalletPage() {
	const { wallet, account, filters, customer, kinds, rows, nextCursor } = useLoaderData<typeof loader>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const location = useLocation()
	const money = (v: bigint) => formatMoney(lang, v, wallet.currency)
	const amountOf = (v: bigint) => (account === 'traffic' ? formatBytes(lang, v) : money(v))
	// Persian readers also get the amount in words (Toman), as the selling bots print it.
	const words = (v: bigint) => (lang === 'fa' && account === 'money' ? tomanWords(v < 0n ? -v : v, wallet.currency) : null)
	const pool = wallet.fundingModel === 'pool'
	const urlWith = (changes: Record<string, string | null>) => {
		const next = new URLSearchParams(location.search)
		for (const [k, v] of Object.entries(changes)) {
			if (v) next.set(k, v)
			else next.delete(k)
		}
		const qs = next.toString()
		return `${location.pathname}${qs ? `?${qs}` : ''}`
	}
	const filtered = Boolean(filters.kind || filters.customer)
	return (
		<div className="mx-auto max-w-3xl">
			<PageHeader title={t('wallet.title')} action={
					<div className="flex gap-3">
						<Link to="/reseller/statements" className="text-sm font-medium text-accent" data-testid="statement-link">{t('statements.link')}</Link>
						<Link to="/reseller/wallet/top-up" className="text-sm font-medium text-accent" data-testid="top-up-link">{t('receipts.nav.topUp')}</Link>
					</div>
				} />
			<div className="grid grid-cols-2 gap-3 sm:grid-cols-3" data-testid="wallet-figures">
				<Stat label={t('wallet.balance')} value={<span data-testid="wallet-balance" className="text-lg">{money(wallet.balance)}</span>} hint={wallet.negativeSince ? t('wallet.negativeSince', { date: formatDate(lang, wallet.negativeSince, 'datetime') }) : undefined} />
				<Stat label={t('wallet.creditLimit')} value={<span className="text-lg">{money(wallet.creditLimit)}</span>} />
				<Stat label={t('wallet.available')} value={<span data-testid="wallet-available" className="text-lg">{money(wallet.available)}</span>} hint={words(wallet.available) ?? undefined} />
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
									<Link key={a} to={urlWith({ account: a, after: null })} className={cn('rounded-md px-2 py-1', a === account ? 'bg-accent/10 font-medium text-accent' : 'text-gray-600')}>{t(`wallet.account.${a}`)}</Link>
								))}
							</nav>
						) : null
					}
				>
					{t('wallet.history')}
				</CardTitle>
				<Form method="get" className="mb-3 flex flex-wrap items-center gap-2" role="search" data-testid="wallet-filters">
					{pool ? <input type="hidden" name="account" value={account} /> : null}
					{customer ? <input type="hidden" name="customer" value={customer.id} /> : null}
					<select name="kind" defaultValue={filters.kind ?? ''} aria-label={t('daily.wallet.kind')} className={`${inputClass} w-auto min-w-0 flex-1 sm:flex-none`}>
						<option value="">{t('daily.wallet.allKinds')}</option>
						{kinds.map((k) => <option key={k} value={k}>{t(`wallet.kinds.${k}`, { defaultValue: k })}</option>)}
					</select>
					<Button type="submit" variant="secondary" size="sm">{t('daily.wallet.filter')}</Button>
					{customer ? (
						<span className="inline-flex items-center gap-1 rounded-full bg-accent/10 px-2 py-1 text-xs font-medium text-accent" data-testid="customer-filter">
							{t('daily.wallet.forCustomer')} <bdi dir="ltr">{customer.username}</bdi>
							<Link to={urlWith({ customer: null, after: null })} className="px-1" aria-label={t('daily.wallet.clearCustomer')}>×</Link>
						</span>
					) : null}
				</Form>
				{rows.length === 0 ? (
					filtered ? (
						<EmptyState icon="search" title={t('daily.wallet.noMatch')} action={<Link to={urlWith({ kind: null, customer: null, after: null })} className="text-sm font-medium text-accent hover:underline">{t('daily.empty.clearFilters')}</Link>} />
					) : (
						<EmptyState icon="wallet" title={t('wallet.empty')} body={t('daily.empty.wallet')} action={<Link to="/reseller/customers/new" className="text-sm font-medium text-accent hover:underline">{t('customers.new')}</Link>} />
					)
				) : (
					<ul className="divide-y divide-gray-100 text-sm dark:divide-gray-800" data-testid="ledger">
						{rows.map((e) => (
							<li key={String(e.id)} className="flex items-start justify-between gap-3 py-2" data-testid="ledger-entry">
								<div className="min-w-0">
									<p className="font-medium">
										{t(`wallet.kinds.${e.kind}`, { defaultValue: e.kind })}
										{e.orderKind ? <span className="font-normal text-gray-500"> · {t(`customers.orderKind.${e.orderKind}`, { defaultValue: e.orderKind })}</span> : null}
									</p>
									{e.customer ? (
										<p className="flex flex-wrap items-center gap-x-2 text-xs">
											<Link to={`/reseller/customers/${e.customer.id}`} className="font-medium text-accent hover:underline" data-testid="ledger-customer">
												<bdi dir="ltr">{e.customer.username}</bdi>
											</Link>
											{filters.customer ? null : (
												<Link to={urlWith({ customer: String(e.customer.id), after: null })} className="text-gray-500 hover:underline">{t('daily.wallet.onlyThis')}</Link>
											)}
										</p>
									) : null}
									<p className="text-xs text-gray-500">{formatDate(lang, e.createdAt, 'datetime')}</p>
									{e.note && !e.customer ? <p className="text-xs break-words text-gray-500">{e.note}</p> : null}
								</div>
								<div className="shrink-0 text-end tabular-nums">
									<p className={e.amount < 0n ? 'text-red-600 dark:text-red-400' : 'text-green-700 dark:text-green-400'} data-testid="ledger-amount" data-amount={String(e.amount)}>
										{e.amount > 0n ? '+' : ''}{amountOf(e.amount)}
									</p>
									{words(e.amount) ? <p className="max-w-40 text-[11px] text-gray-500" data-testid="amount-words">{words(e.amount)}</p> : null}
									<p className="text-xs text-gray-500" data-testid="running-balance">{t('wallet.after')} <bdi>{amountOf(e.balanceAfter)}</bdi></p>
								</div>
							</li>
						))}
					</ul>
				)}
				<nav className="mt-3 flex justify-between text-sm" aria-label="pagination">
					{filters.after ? <Link to={urlWith({ after: null })} className="text-accent hover:underline">{t('table.previous')}</Link> : <span />}
					{nextCursor ? <Link to={urlWith({ after: nextCursor })} className="text-accent hover:underline" rel="next">{t('table.next')}</Link> : null}
				</nav>
			</Card>
		</div>
	)
}
