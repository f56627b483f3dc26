// A signed-in page's loaders (root, layout, page) share one session lookup under the server, not
// only when a test hands them one Request: Remix gives each loader its own copy of the request, so
// the server stamps every request with its id (server/middleware.ts, REQUEST_KEY_HEADER) and
// getUser shares by that (decision 036).
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { getUser, type SessionUser } from '~/utils/auth.server'
import { sql } from '~/utils/db.server'
import { REQUEST_KEY_HEADER } from '~/utils/request-key'
import { requestContext } from '../../server/middleware'
import { loginAs } from '../factories'
import { fixtureBuild, listenRemix } from '../remix-fixture'

const seen: Array<{ route: string; request: Request; user: SessionUser | null }> = []
const routeModule = (route: string) => ({
	loader: async ({ request }: { request: Request }) => {
		seen.push({ route, request, user: await getUser(request) })
		return null
	},
	default: () => null,
})

/** Root → layout `/area` → its index: three loaders on one page, as the app's areas have. */
const pageBuild = () =>
	fixtureBuild({
		root: { path: '', module: routeModule('root') },
		area: { parentId: 'root', path: 'area', module: routeModule('area') },
		'area-index': { parentId: 'area', index: true, module: routeModule('area-index') },
	})

const listen = (withRequestContext: boolean) => listenRemix(pageBuild(), withRequestContext ? requestContext(false) : undefined)

let served: Awaited<ReturnType<typeof listen>>
let bare: Awaited<ReturnType<typeof listen>>
beforeAll(async () => {
	served = await listen(true)
	bare = await listen(false)
})
afterAll(() => Promise.all([served, bare].map(({ server }) => new Promise((r) => server.close(r)))))

/** Loads /area (or its single-fetch data) and returns what the loaders saw and how many lookups ran. */
async function load(url: string, path: string, headers: Record<string, string>) {
	seen.length = 0
	const lookups = vi.spyOn(sql, '$queryRaw')
	try {
		const res = await fetch(`${url}${path}`, { headers })
		expect(res.status).toBe(200)
		await res.arrayBuffer()
		return { seen: [...seen], lookups: lookups.mock.calls.length }
	} finally {
		lookups.mockRestore()
	}
}

describe('one session lookup per page request', () => {
	test('without the request key each loader looks the session up again (why it exists)', async () => {
		const { user, cookie } = await loginAs('reseller')
		const r = await load(bare.url, '/area', { cookie })
		expect(r.seen.map((s) => s.route).sort()).toEqual(['area', 'area-index', 'root'])
		expect(r.seen.every((s) => s.user?.id === user.id)).toBe(true)
		expect(r.lookups).toBe(3)
	})

	test.each(['/area', '/area.data'])('through the server: three loaders, three request copies, one lookup (%s)', async (path) => {
		const { user, cookie } = await loginAs('reseller')
		const r = await load(served.url, path, { cookie })
		expect(r.seen).toHaveLength(3)
		expect(new Set(r.seen.map((s) => s.request)).size).toBe(3)
		expect(r.seen.every((s) => s.user?.id === user.id)).toBe(true)
		expect(r.lookups).toBe(1)
	})

	test('the key is the server’s, never one a client sends; and requests never share', async () => {
		const a = await loginAs('reseller')
		const b = await loginAs('admin')
		const first = await load(served.url, '/area', { cookie: a.cookie, [REQUEST_KEY_HEADER]: 'forged' })
		const second = await load(served.url, '/area', { cookie: b.cookie, [REQUEST_KEY_HEADER]: 'forged' })
		expect(first.seen[0]!.request.headers.get(REQUEST_KEY_HEADER)).not.toBe('forged')
		expect(first.seen.every((s) => s.user?.id === a.user.id)).toBe(true)
		expect(second.seen.every((s) => s.user?.id === b.user.id)).toBe(true)
		expect(second.lookups).toBe(1)
	})

	test('a signed-out request still finds nobody, with no lookup', async () => {
		const r = await load(served.url, '/area', {})
		expect(r.seen.every((s) => s.user === null)).toBe(true)
		expect(r.lookups).toBe(0)
	})
})
