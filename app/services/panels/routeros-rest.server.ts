// RouterOS v7 REST transport (panel-contracts.md §6.1): HTTP Basic on every call, GET = print
// with query filters, PUT = add, PATCH = set, DELETE = remove. Errors: 404 for an unknown .id,
// 400 with `detail` for the rest (a duplicate public key says "... already exists").
import { PanelError } from './errors'
import { createPanelHttp } from './http.server'
import { createRouterOsAdapter, isDuplicateMessage, type RosMenu, type RosRow, type RosTransport } from './routeros-common'
import type { NodeConnection, PanelAdapter } from './types'

/** REST as a RosTransport (also used by MikroTik accounting, services/routers/). */
export function createRouterOsRestTransport(conn: NodeConnection): RosTransport {
	// The base may be given as https://router or https://router/rest; paths below add /rest.
	const baseUrl = conn.baseUrl?.replace(/\/+$/, '').replace(/\/rest$/, '')
	const basic = Buffer.from(`${conn.username ?? ''}:${conn.password ?? ''}`).toString('base64')
	const http = createPanelHttp({ ...conn, baseUrl }, { auth: { headers: { authorization: `Basic ${basic}` } } })
	const path = (menu: RosMenu, id?: string) => `/rest/${menu}${id ? `/${encodeURIComponent(id)}` : ''}`

	// A 400 for a duplicate is a conflict in our terms; everything else stays as mapped.
	async function call<T>(fn: () => Promise<T>): Promise<T> {
		try {
			return await fn()
		} catch (e) {
			if (e instanceof PanelError && e.code === 'rejected' && isDuplicateMessage(e.reason ?? '')) {
				throw new PanelError('conflict', e.reason, e.status)
			}
			throw e
		}
	}

	const transport: RosTransport = {
		async print(menu, filter = {}, proplist) {
			const query: Record<string, string> = { ...filter }
			if (proplist) query['.proplist'] = proplist.join(',')
			const reply = await call(() => http.request<RosRow[] | RosRow>('GET', path(menu), { query }))
			// /system/resource is a single object, menus are lists.
			if (Array.isArray(reply)) return reply
			if (reply && typeof reply === 'object') return [reply]
			throw new PanelError('bad_response', `print ${menu} returned no records`)
		},
		async add(menu, props) {
			const row = await call(() => http.request<RosRow>('PUT', path(menu), { json: props }))
			if (!row || typeof row['.id'] !== 'string') throw new PanelError('bad_response', 'add returned no .id')
			return row['.id']
		},
		async set(menu, id, props) {
			// Absolute values: repeating the PATCH is harmless, so it may be retried.
			await call(() => http.request('PATCH', path(menu, id), { json: props, idempotent: true }))
		},
		async remove(menu, id) {
			await call(() => http.request('DELETE', path(menu, id)))
		},
		close: () => http.close(),
	}
	return transport
}

export function createRouterOsRestAdapter(conn: NodeConnection): PanelAdapter {
	return createRouterOsAdapter(conn, createRouterOsRestTransport(conn))
}
