import type { LoaderFunctionArgs } from '@remix-run/node'
import { guardedSubscription } from '~/services/sub-guard.server'
import { clientIp } from '~/utils/request.server'

// Public (token = credential): a WireGuard sub-account's client config as a file.
export async function loader({ params, context }: LoaderFunctionArgs) {
	const sub = await guardedSubscription(params.token ?? '', clientIp(context))
	const node = sub.nodes.find((n) => String(n.nodeId) === params.nodeId)
	if (sub.status !== 'active' || node?.links?.kind !== 'wireguard') throw new Response('Not Found', { status: 404 })
	return new Response(node.links.config, {
		headers: { 'content-type': 'text/plain; charset=utf-8', 'content-disposition': `attachment; filename="${node.links.fileName.replace(/[^A-Za-z0-9_.-]/g, '_')}"`, 'cache-control': 'no-store' },
	})
}
