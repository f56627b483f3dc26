import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { LanguageSwitch } from '~/components/preferences-forms'
import { PlanCard } from '~/components/store/plan-card'
import { EmptyState } from '~/components/ui/empty-state'
import { categoryTree } from '~/models/category.server'
import { storefrontCatalogue } from '~/models/plan.server'
import { getStoreSettings } from '~/services/settings.server'
import { AREA_OF, getUser } from '~/utils/auth.server'

export const meta: MetaFunction = () => [{ title: 'Guardino Hub' }]

// Public: no authorisation needed. Only the public catalogue is read — no counters of users,
// resellers or sales, no reseller prices, no node names.
export async function loader({ request }: LoaderFunctionArgs) {
	const [user, tree, settings] = await Promise.all([getUser(request), categoryTree(), getStoreSettings()])
	const sections = await storefrontCatalogue(tree)
	return { area: user ? AREA_OF[user.role] : null, sections, display: settings.displayCurrency, company: settings.companyName }
}

export default function Storefront() {
	const { area, sections, display, company } = useLoaderData<typeof loader>()
	const { t } = useTranslation()
	const link = 'rounded-lg px-3 py-1.5 text-sm font-medium'
	return (
		<div className="mx-auto max-w-5xl p-4">
			<header className="flex flex-wrap items-center justify-between gap-2 py-2">
				<span className="font-semibold">{company || t('app.name')}</span>
				<nav className="flex items-center gap-2" aria-label={t('store.front.navLabel')}>
					<LanguageSwitch />
					{area ? (
						<Link to={area} className={`${link} bg-accent text-white hover:bg-accent-strong`}>{t('store.front.myAccount')}</Link>
					) : (
						<>
							<Link to="/login" className={`${link} text-accent hover:underline`}>{t('store.cta')}</Link>
							<Link to="/register" className={`${link} bg-accent text-white hover:bg-accent-strong`}>{t('store.front.signUp')}</Link>
						</>
					)}
				</nav>
			</header>
			<main className="py-6">
				<h1 className="text-2xl font-bold sm:text-3xl">{t('store.front.title')}</h1>
				<p className="mt-2 text-gray-600 dark:text-gray-400">{t('store.front.subtitle')}</p>
				{sections.length === 0 ? (
					<div className="mt-8"><EmptyState title={t('store.front.noPlans')} /></div>
				) : (
					sections.map((s) => (
						<section key={s.id ?? 'other'} className="mt-8" aria-labelledby={`cat-${s.id ?? 'other'}`} data-testid="store-section">
							<h2 id={`cat-${s.id ?? 'other'}`} className={s.depth ? 'text-base font-semibold text-gray-700 dark:text-gray-300' : 'text-lg font-semibold'}>
								{s.name ?? t('store.front.otherPlans')}
							</h2>
							{s.exclusive ? <p className="mt-1 text-xs text-gray-500">{t('store.front.exclusiveNote')}</p> : null}
							{s.plans.length ? (
								<ul className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
									{s.plans.map((p) => <PlanCard key={p.id} plan={p} display={display} />)}
								</ul>
							) : null}
						</section>
					))
				)}
			</main>
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
