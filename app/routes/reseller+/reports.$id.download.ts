import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireResellerProfile } from '~/models/reseller-area.server'
import { downloadExport } from '~/services/reports/export.server'
import { idParam } from '~/utils/validation'

// Only his own finished exports: another reseller's id is a 404, as if it did not exist.
export async function loader({ request, params }: LoaderFunctionArgs) {
	const { reseller } = await requireResellerProfile(request)
	return downloadExport(request, idParam(params), { resellerId: reseller.id })
}
