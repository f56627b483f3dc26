// The WireGuard config of one node of one of the reseller's customers, as a file download.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { wireguardFile } from '~/models/customer.server'
import { requireResellerProfile } from '~/models/reseller-area.server'
import { dbId } from '~/utils/validation'

const Params = z.object({ id: dbId, nodeId: dbId })

export async function loader({ request, params }: LoaderFunctionArgs) {
	const { reseller } = await requireResellerProfile(request)
	const parsed = Params.safeParse(params)
	const file = parsed.success ? await wireguardFile(reseller.id, parsed.data.id, parsed.data.nodeId) : null
	if (!file) throw new Response('Not found', { status: 404 })
	const name = file.fileName.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60) || 'wireguard.conf'
	return new Response(file.config, {
		headers: {
			'Content-Type': 'text/plain; charset=utf-8',
			'Content-Disposition': `attachment; filename="${name.endsWith('.conf') ? name : `${name}.conf`}"`,
			'Cache-Control': 'private, no-store',
			'X-Content-Type-Options': 'nosniff',
		},
	})
}
