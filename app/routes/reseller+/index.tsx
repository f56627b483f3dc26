import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PageHeader } from '~/components/shell'
import { Card, Stat } from '~/components/ui/card'
import { resellerFigures } from '~/models/reseller-area.server'
import { requireReseller } from '~/utils/auth.server'
import { formatBytes, formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { formatMoney } from '~/utils/money'

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireReseller(request)
	return { name: user.displayName ?? user.username, figures: await resellerFigures(user.id) }
}

export default function ResellerHome() {
	const { name, figures } = useLoaderData<typeof loader>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	const link = 'rounded-lg px-3 py-2 text-sm font-medium'
	return (
		<>
			<PageHeader title={t('reseller.welcome', { name })} />
			{figures ? (
				<>
					<div className="grid grid-cols-2 gap-3 sm:grid-cols-3">
						<Stat label={t('customers.home.active')} value={<span data-testid="active-customers">{formatNumber(lang, figures.activeCustomers)}</span>} />
						<Stat label={t('wallet.balance')} value={<span className="text-lg" data-testid="home-balance">{formatMoney(lang, figures.wallet.balance, figures.wallet.currency)}</span>} />
						{figures.wallet.fundingModel === 'pool' ? (
							<Stat label={t('wallet.pool')} value={<span className="text-lg">{formatBytes(lang, figures.wallet.poolBytes)}</span>} />
						) : (
							<Stat label={t('wallet.available')} value={<span className="text-lg" data-testid="home-available">{formatMoney(lang, figures.wallet.available, figures.wallet.currency)}</span>} />
						)}
					</div>
					<div className="mt-4 flex flex-wrap gap-2">
						<Link to="/reseller/customers/new" className={`${link} bg-accent text-white hover:bg-accent-strong`}>{t('customers.new')}</Link>
						<Link to="/reseller/customers" className={`${link} bg-white ring-1 ring-gray-300 hover:bg-gray-50 dark:bg-gray-800 dark:ring-gray-700`}>{t('nav.customers')}</Link>
						<Link to="/reseller/wallet" className={`${link} bg-white ring-1 ring-gray-300 hover:bg-gray-50 dark:bg-gray-800 dark:ring-gray-700`}>{t('nav.wallet')}</Link>
					</div>
				</>
			) : (
				<Card>
					<p className="text-sm text-gray-600 dark:text-gray-400">{t('customers.home.notSetUp')}</p>
				</Card>
			)}
		</>
	)
}
