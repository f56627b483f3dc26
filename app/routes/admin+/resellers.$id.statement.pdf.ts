import type { LoaderFunctionArgs } from '@remix-run/node'
import { resellerFromParams } from '~/models/reseller.server'
import { statementDownload } from '~/services/statements/download.server'
import { parseStatementQuery } from '~/services/statements/request.server'
import { requireAdmin } from '~/utils/auth.server'

// Any reseller's statement as a PDF, for the admin.
export async function loader({ request, params }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const reseller = await resellerFromParams(params)
	return statementDownload(reseller.id, await parseStatementQuery(request), 'pdf')
}
