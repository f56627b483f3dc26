// The reseller's customer list at 100k customers (bar: server time p95 < 50 ms): the route's
// loader called in-process with a real Request (session check + query), per filter, beside the
// bare SQL of the unfiltered page through pg in the same run.
import path from 'node:path'
import type { ServerBuild } from '@remix-run/node'
import pg from 'pg'
import { benchDatabase, ensureBuild } from '../env'
import { timeP95 } from '../p95'
import { figure, type BenchCase, type Figure } from '../types'

const N = Number(process.env.BENCH_CUSTOMERS || 100_000)

export const customerList: BenchCase = {
	name: 'customers',
	description: `reseller customer list over ${N} customers: loader p95 per filter vs bare SQL`,
	async run() {
		const db = await benchDatabase()
		const { prisma } = await import('~/utils/db.server')
		const { hashPassword } = await import('~/utils/password.server')
		const { createSession } = await import('~/utils/auth.server')
		const user = await prisma.user.create({ data: { username: `bench_list_${Date.now()}`, role: 'reseller', passwordHash: await hashPassword('x'.repeat(12)) } })
		const reseller = await prisma.reseller.create({ data: { userId: user.id, name: 'bench list' } })
		// 100k customers in one statement; a few other resellers' rows around them
		await prisma.$executeRaw`
			insert into customers (reseller_id, username, note, data_limit_bytes, used_bytes, expire_at, status, sub_token, updated_at)
			select ${reseller.id}, 'user' || g, case when g % 7 = 0 then 'vip shop ' || g else null end, 10737418240, (g % 10)::bigint * 1073741824,
				now() + ((g % 90) || ' days')::interval, (case when g % 10 = 0 then 'disabled' else 'active' end)::"CustomerStatus",
				md5(g::text || clock_timestamp()::text), now()
			from generate_series(1, ${N}) g`
		await prisma.$executeRaw`analyze customers`
		const cookie = (await createSession(user.id, new Request('http://bench/'))).split(';')[0]!
		// The compiled route from the production build: exactly the loader that serves requests.
		ensureBuild()
		const build = (await import(path.resolve('build/server/index.js'))) as ServerBuild
		const loader = build.routes['routes/reseller+/customers']!.module.loader!
		const call = (qs: string) => () => loader({ request: new Request(`http://bench/reseller/customers${qs}`, { headers: { cookie } }), params: {}, context: {} })
		const check = (await call('?q=user4242')()) as unknown as { rows: Array<{ username: string }> }
		if (!check.rows.some((r) => r.username === 'user4242')) throw new Error('search did not find user4242: the figure would measure nothing')

		const pool = new pg.Pool({ connectionString: db.url, max: 2 })
		const bare = await timeP95(() => pool.query(`select id, username, status, used_bytes, data_limit_bytes, expire_at from customers where reseller_id = $1 and status <> 'deleted' order by id desc limit 26`, [reseller.id]))
		await pool.end()
		const cases: Array<[string, string]> = [
			['first page', ''],
			['page 2000 (keyset)', `?after=${N - 50_000}`],
			['search username', '?q=user4242'],
			['search note', '?q=vip+shop+7'],
			['status filter', '?status=disabled'],
			['expiring in 7 days', '?expiring=7'],
		]
		const figures: Figure[] = []
		for (const [name, qs] of cases) figures.push(figure('customers', `list p95: ${name}`, await timeP95(async () => call(qs)()), 'ms', bare, '< 50 ms'))
		return figures
	},
}
