import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireResellerProfile } from '~/models/reseller-area.server'
import { downloadable, fileResponse } from '~/services/reports/export.server'
import { getT } from '~/utils/i18n.server'
import { idParam } from '~/utils/validation'

// Only his own finished exports: another reseller's id is a 404, as if it did not exist.
export async function loader({ request, params }: LoaderFunctionArgs) {
	const { reseller } = await requireResellerProfile(request)
	const row = await downloadable(idParam(params), { resellerId: reseller.id })
	const res = row && (await fileResponse(row))
	if (!res) throw new Response((await getT(request))('errors.notFound.body'), { status: 404 })
	return res
}
