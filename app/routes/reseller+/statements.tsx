import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PageHeader } from '~/components/shell'
import { StatementError } from '~/components/statements/statement-error'
import { StatementView } from '~/components/statements/statement-view'
import { requireResellerProfile } from '~/models/reseller-area.server'
import { statementPage } from '~/services/statements/page.server'
import { parseStatementQuery } from '~/services/statements/request.server'

// The signed-in reseller's own monthly statement: his reseller id from his session, nothing else.
export async function loader({ request }: LoaderFunctionArgs) {
	const { reseller } = await requireResellerProfile(request)
	return statementPage(reseller.id, await parseStatementQuery(request))
}

export default function ResellerStatement() {
	const data = useLoaderData<typeof loader>()
	const { t } = useTranslation()
	return (
		<>
			<PageHeader title={t('statements.title', { month: data.month.label })} action={<Link to="/reseller/wallet" className="text-sm font-medium text-accent hover:underline">{t('wallet.title')}</Link>} />
			<StatementView data={data} basePath="/reseller/statements" customerHref={(c) => `/reseller/customers/${c.id}`} />
		</>
	)
}

export function ErrorBoundary() {
	return <StatementError home="/reseller/statements" />
}
