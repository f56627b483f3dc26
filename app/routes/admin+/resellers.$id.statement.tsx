import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData, useParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PageHeader } from '~/components/shell'
import { StatementError } from '~/components/statements/statement-error'
import { StatementView } from '~/components/statements/statement-view'
import { resellerFromParams } from '~/models/reseller.server'
import { statementPage } from '~/services/statements/page.server'
import { parseStatementQuery } from '~/services/statements/request.server'
import { requireAdmin } from '~/utils/auth.server'

// Any reseller's monthly statement, for the admin (an unknown id is a 404).
export async function loader({ request, params }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const reseller = await resellerFromParams(params)
	return statementPage(reseller.id, await parseStatementQuery(request))
}

export default function AdminResellerStatement() {
	const data = useLoaderData<typeof loader>()
	const { t } = useTranslation()
	const id = data.summary.reseller.id
	return (
		<>
			<PageHeader title={`${data.summary.reseller.name} — ${t('statements.title', { month: data.month.label })}`} action={<Link to={`/admin/resellers/${id}`} className="text-sm font-medium text-accent hover:underline">{t('statements.backToReseller')}</Link>} />
			<StatementView data={data} basePath={`/admin/resellers/${id}/statement`} customerHref={(c) => `/admin/customers?q=${encodeURIComponent(c.username)}`} />
		</>
	)
}

export function ErrorBoundary() {
	const { id } = useParams()
	return <StatementError home={/^\d{1,9}$/.test(id ?? '') ? `/admin/resellers/${id}/statement` : '/admin/resellers'} />
}
