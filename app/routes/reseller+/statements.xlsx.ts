import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireResellerProfile } from '~/models/reseller-area.server'
import { statementDownload } from '~/services/statements/download.server'
import { parseStatementQuery } from '~/services/statements/request.server'

// The reseller's own statement as an Excel workbook (right to left in Persian).
export async function loader({ request }: LoaderFunctionArgs) {
	const { reseller } = await requireResellerProfile(request)
	return statementDownload(reseller.id, await parseStatementQuery(request), 'xlsx')
}
