import type { LoaderFunctionArgs } from '@remix-run/node'
import { downloadable, fileResponse } from '~/services/reports/export.server'
import { requireAdmin } from '~/utils/auth.server'
import { getT } from '~/utils/i18n.server'
import { idParam } from '~/utils/validation'

// Any finished export (the admin's or a reseller's), streamed from its file.
export async function loader({ request, params }: LoaderFunctionArgs) {
	await requireAdmin(request)
	const row = await downloadable(idParam(params), { resellerId: null })
	const res = row && (await fileResponse(row))
	if (!res) throw new Response((await getT(request))('errors.notFound.body'), { status: 404 })
	return res
}
