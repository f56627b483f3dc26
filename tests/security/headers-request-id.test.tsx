// A 500 that still happens is logged with the request id (handleError) and the error page shows
// the same id (the root loader returns it from the load context server/index.ts builds).
import { Outlet } from 'react-router-dom'
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { handleError } from '~/entry.server'
import { loader as rootLoader } from '~/root'
import { contextFor } from '../helpers'

afterEach(() => vi.restoreAllMocks())

describe('request id of a 500', () => {
	test('handleError logs the error with the request id', () => {
		const log = vi.spyOn(console, 'error').mockImplementation(() => {})
		handleError(new Error('boom'), { request: new Request('http://localhost/reseller/customers'), context: contextFor('198.51.100.90') } as never)
		expect(String(log.mock.calls[0]?.[0])).toContain('test-198.51.100.90')
		expect(String(log.mock.calls[0]?.[0])).toContain('/reseller/customers')
	})

	test('the error page shows the id the root loader got from the load context', async () => {
		vi.spyOn(console, 'error').mockImplementation(() => {})
		const context = contextFor('198.51.100.91')
		const routes = [
			{
				id: 'root',
				path: '/',
				element: <Outlet />,
				loader: async ({ request }: { request: Request }) => {
					const r = (await rootLoader({ request, params: {}, context })) as unknown as { data: unknown }
					return r.data
				},
				children: [{ id: 'page', index: true, Component: () => null, loader: () => Promise.reject(new Error('boom')), errorElement: <GeneralErrorBoundary /> }],
			},
		]
		const handler = createStaticHandler(routes)
		const ctx = await handler.query(new Request('http://localhost/'))
		if (ctx instanceof Response) throw new Error('unexpected redirect')
		const html = renderToString(<StaticRouterProvider router={createStaticRouter(handler.dataRoutes, ctx)} context={ctx} />)
		expect(html).toContain('data-testid="request-id"')
		expect(html).toContain(context.requestId)
	})
})
