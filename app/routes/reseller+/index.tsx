import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PageHeader } from '~/components/shell'
import { Stat } from '~/components/ui/card'
import { userFigures } from '~/models/dashboard.server'
import { requireReseller } from '~/utils/auth.server'
import { formatDate, formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireReseller(request)
	return { name: user.displayName ?? user.username, figures: await userFigures(user.id) }
}

export default function ResellerHome() {
	const { name, figures } = useLoaderData<typeof loader>()
	const { t, i18n } = useTranslation()
	const lang = i18n.language as Lang
	return (
		<>
			<PageHeader title={t('reseller.welcome', { name })} />
			<div className="grid grid-cols-2 gap-3 sm:grid-cols-3">
				<Stat label={t('reseller.sessions')} value={formatNumber(lang, figures.sessions)} />
				<Stat label={t('reseller.activity')} value={formatNumber(lang, figures.actions30d)} />
				<Stat label={t('reseller.since')} value={<span className="text-base">{formatDate(lang, figures.since)}</span>} />
			</div>
		</>
	)
}
