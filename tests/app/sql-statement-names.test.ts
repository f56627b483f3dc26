// Named statements (decision 022) on a pool that outlives its module: the dev server re-evaluates
// sql.server.ts on a change while the pool stays in a global, so two copies of the module hand
// statements to the same connections. Counter names ("g0") then met two texts on one connection
// and Postgres refused the second; names made from the text cannot collide.
import pg from 'pg'
import { afterAll, expect, test, vi } from 'vitest'

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 })
afterAll(() => pool.end())

test('two copies of the module name different texts differently on one connection', async () => {
	const first = await import('~/utils/sql.server')
	vi.resetModules()
	const second = await import('~/utils/sql.server')
	expect(second.SqlClient).not.toBe(first.SqlClient) // really two copies
	const client = await pool.connect()
	try {
		const a = await new first.SqlClient(client).$queryRaw<Array<{ v: number }>>`select 1::int as v`
		const b = await new second.SqlClient(client).$queryRaw<Array<{ v: string }>>`select 'two'::text as v, 2 as w`
		expect(a[0]!.v).toBe(1)
		expect(b[0]!.v).toBe('two')
		const again = await new second.SqlClient(client).$queryRaw<Array<{ v: number }>>`select 1::int as v`
		expect(again[0]!.v).toBe(1)
	} finally {
		client.release()
	}
})
