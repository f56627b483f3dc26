// The production server gives Remix its build as a module, not as a function returning it. Given
// a function, @remix-run/server-runtime's createRequestHandler re-derives the route tables and the
// static handler from the build on every request (its dev-reload path), for all ~90 routes (issue
// 16: where a signed-in page's time goes). Remix's express adapter is replaced here to see what it gets.
import { afterAll, describe, expect, test, vi } from 'vitest'
import { ensureBuild } from './processes'

process.env.NODE_ENV = 'production'
process.env.PUBLIC_URL ??= 'https://hub.example.com/'
process.env.SESSION_SECRET ??= 'p'.repeat(40)
process.env.MASTER_KEY ??= Buffer.alloc(32, 3).toString('base64')

const handed: unknown[] = []
vi.mock('@remix-run/express', () => ({
	createRequestHandler: (opts: { build: unknown }) => {
		handed.push(opts.build)
		return (_req: unknown, res: { end(s: string): void }) => res.end('stub')
	},
}))

ensureBuild()
const { startServer } = await import('../../server/index')
const running = await startServer({ port: 0, host: '127.0.0.1', worker: false })
afterAll(() => running.stop())

describe('the production request handler', () => {
	// One handler for the whole build and one per top-level section (decision 036), all made at start.
	test('gets the build module itself, so Remix derives its routes once per process', async () => {
		const made = handed.length
		expect(made).toBeGreaterThan(1)
		for (const build of handed) expect(typeof build).toBe('object')
		expect(handed.some((b) => Object.keys((b as { routes: object }).routes).includes('routes/reseller+/customers'))).toBe(true)
		expect(await (await fetch(`${running.url}/reseller/customers`)).text()).toBe('stub')
		expect(await (await fetch(`${running.url}/admin`)).text()).toBe('stub')
		expect(handed).toHaveLength(made)
	})
})
