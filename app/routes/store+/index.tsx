import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { LanguageSwitch } from '~/components/preferences-forms'
import { Stat } from '~/components/ui/card'
import { AREA_OF, getUser } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'

// Public: no authorisation needed, and nothing private is read (only public counts).
export async function loader({ request }: LoaderFunctionArgs) {
	const [user, customers, resellers] = await Promise.all([
		getUser(request),
		prisma.user.count({ where: { role: 'customer', status: 'active' } }),
		prisma.user.count({ where: { role: 'reseller', status: 'active' } }),
	])
	return { area: user ? AREA_OF[user.role] : null, customers, resellers }
}

export default function Storefront() {
	const { area, customers, resellers } = useLoaderData<typeof loader>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	return (
		<div className="mx-auto max-w-3xl p-4">
			<header className="flex items-center justify-between py-2">
				<span className="font-semibold">{t('app.name')}</span>
				<div className="flex items-center gap-2">
					<LanguageSwitch />
					<Link to={area ?? '/login'} className="rounded-lg bg-accent px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-strong">
						{area ? t('nav.dashboard') : t('store.cta')}
					</Link>
				</div>
			</header>
			<main className="py-10">
				<h1 className="text-3xl font-bold">{t('store.title')}</h1>
				<p className="mt-2 text-gray-600 dark:text-gray-400">{t('app.tagline')}</p>
				<div className="mt-8 grid grid-cols-2 gap-3">
					<Stat label={t('store.customers')} value={formatNumber(lang, customers)} />
					<Stat label={t('store.resellers')} value={formatNumber(lang, resellers)} />
				</div>
			</main>
		</div>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
