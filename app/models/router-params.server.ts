// The router pages' first step after authorising: the router (and peer) their URL names, or a
// translated 404 — one place for app/routes/admin+/routers.$id*.tsx. A deleted router, an id that
// cannot exist and a peer of another router are all "not found".
import { getT } from '~/utils/i18n.server'
import { idParam } from './router-form'
import { getPeer, getRouter } from './router.server'

type Params = Record<string, string | undefined>

async function notFound(request: Request): Promise<never> {
	throw new Response((await getT(request))('routers.errors.notFound'), { status: 404 })
}

export async function routerFromParams(request: Request, params: Params) {
	const id = idParam.safeParse(params.id)
	return (id.success ? await getRouter(id.data) : null) ?? notFound(request)
}

export async function peerFromParams(request: Request, params: Params) {
	const router = await routerFromParams(request, params)
	const peerId = idParam.safeParse(params.peerId)
	const peer = (peerId.success ? await getPeer(router.id, peerId.data) : null) ?? (await notFound(request))
	return { router, peer }
}
