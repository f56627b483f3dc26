// The admin's approval queue and payment search over 100,000 payments (issue 11 bar: p95 < 50 ms):
// the compiled route's loader called in-process with a real Request (session check + queries), per
// filter, beside the bare SQL of the open queue's first page through pg in the same run.
import path from 'node:path'
import type { ServerBuild } from '@remix-run/node'
import pg from 'pg'
import { benchDatabase, ensureBuild } from '../env'
import { timeP95 } from '../p95'
import { figure, type BenchCase, type Figure } from '../types'

const N = Number(process.env.BENCH_PAYMENTS || 100_000)
const PAYERS = 2_000

export const paymentsBench: BenchCase = {
	name: 'payments',
	description: `admin approval queue and payment search over ${N} payments: loader p95 per filter vs bare SQL`,
	async run() {
		const db = await benchDatabase()
		const { prisma } = await import('~/utils/db.server')
		const { hashPassword } = await import('~/utils/password.server')
		const { createSession } = await import('~/utils/auth.server')
		const stamp = Date.now()
		const admin = await prisma.user.create({ data: { username: `bench_pay_admin_${stamp}`, role: 'admin', passwordHash: await hashPassword('x'.repeat(12)) } })
		// Payers, five methods, and 100k payments over the last 90 days: 2 % waiting for review,
		// the rest spread over the other states, as a busy shop's history looks.
		await prisma.$executeRaw`
			insert into users (username, password_hash, role, updated_at)
			select 'payer' || ${stamp}::text || '_' || g, 'x', 'customer', now() from generate_series(1, ${PAYERS}) g`
		const [{ first }] = await prisma.$queryRaw<Array<{ first: number }>>`select min(id) as first from users where username like ${`payer${stamp}_%`}`
		await prisma.$executeRaw`
			insert into payment_methods (kind, alias, priority, details, updated_at)
			select 'card', 'bench card ' || g, g, jsonb_build_object('number', '6037990000000006', 'holder', 'Bench', 'bank', 'melli'), now() from generate_series(1, 5) g`
		const [{ m0 }] = await prisma.$queryRaw<Array<{ m0: number }>>`select min(id) as m0 from payment_methods where alias like 'bench card %'`
		await prisma.$executeRaw`
			insert into payments (user_id, channel, status, amount, currency, method_id, expires_at, tracking_code, tracking_code_norm, submitted_at, created_at, updated_at)
			select ${first}::int + (g % ${PAYERS}), 'card',
				(case when g % 50 = 0 then 'submitted' when g % 50 = 1 then 'in_review' when g % 10 < 7 then 'settled' when g % 10 = 7 then 'rejected' when g % 10 = 8 then 'expired' else 'cancelled' end)::"PaymentStatus",
				(1 + g % 500) * 100000, 'IRR', ${m0}::int + (g % 5),
				now() - ((g % 90) || ' days')::interval + interval '1 hour', 't' || g, 't' || g,
				case when g % 10 in (0, 1, 2, 3, 4, 5, 6, 7) then now() - ((g % 90) || ' days')::interval end,
				now() - ((g % 90) || ' days')::interval, now()
			from generate_series(1, ${N}) g`
		await prisma.$executeRaw`analyze payments`
		await prisma.$executeRaw`analyze users`
		const cookie = (await createSession(admin.id, new Request('http://bench/'))).split(';')[0]!
		ensureBuild()
		const build = (await import(path.resolve('build/server/index.js'))) as ServerBuild
		const loader = build.routes['routes/admin+/payments']!.module.loader!
		const call = (qs: string) => () => loader({ request: new Request(`http://bench/admin/payments${qs}`, { headers: { cookie } }), params: {}, context: {} })
		const check = (await call('')()) as unknown as { rows: Array<{ status: string }> }
		if (check.rows.length < 20 || check.rows.some((r) => r.status !== 'submitted' && r.status !== 'in_review')) throw new Error('the open queue did not list waiting receipts: the figure would measure nothing')
		const found = (await call(`?status=all&payer=payer${stamp}_1234`)()) as unknown as { rows: unknown[] }
		if (!found.rows.length) throw new Error('payer search found nothing: the figure would measure nothing')

		const pool = new pg.Pool({ connectionString: db.url, max: 2 })
		const bare = await timeP95(() => pool.query(`select id, status, amount, submitted_at from payments where status in ('submitted', 'in_review') and channel <> 'gateway' order by id desc limit 26`))
		await pool.end()
		const day = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString().slice(0, 10)
		const cases: Array<[string, string]> = [
			['open queue (submitted + in review)', ''],
			['open queue page 10 (keyset)', `?after=${N - 2_000}`],
			['all payments, first page', '?status=all'],
			['settled by one method', `?status=settled&method=${m0 + 2}`],
			['search by payer', `?status=all&payer=payer${stamp}_1234`],
			['rejected in a 7-day range', `?status=rejected&from=${day(30)}&to=${day(23)}`],
		]
		const figures: Figure[] = []
		for (const [name, qs] of cases) figures.push(figure('payments', `p95: ${name}`, await timeP95(async () => call(qs)()), 'ms', bare, '< 50 ms'))
		return figures
	},
}
