import type { LoaderFunctionArgs } from '@remix-run/node'
import { downloadExport } from '~/services/reports/export.server'
import { requireAdmin } from '~/utils/auth.server'
import { idParam } from '~/utils/validation'

// Any finished export (the admin's or a reseller's), streamed from its file; an expired one is a 410.
export async function loader({ request, params }: LoaderFunctionArgs) {
	await requireAdmin(request)
	return downloadExport(request, idParam(params), { resellerId: null })
}
