import pg from 'pg'
const c = new pg.Client({ host: '127.0.0.1', port: 5491, user: 'postgres', password: 'postgres', database: 'guardino_bench' })
await c.connect().catch(() => process.exit(0))
console.log((await c.query("select status, count(*) from customers group by 1")).rows)
console.log((await c.query("select count(*) n, count(*) filter (where run_at <= now()) due, count(*) filter (where locked_at is not null) locked, max(run_at) - now() as horizon from graphile_worker.jobs")).rows[0])
await c.end()
