// History for the routers bench's dashboards (issue 13): what a fleet polled for a while holds,
// so the loaders are measured against realistic tables rather than three polls' worth. Postgres
// builds every row itself (insert … select … generate_series, one statement per table); nothing
// here goes through the poll, so it says nothing about the poll's figures.
// - router_peer_daily / router_daily: DAYS days before today, every peer every day;
// - router_hourly: the 47 hours before this one;
// - router_polls + router_samples: one poll an hour for SAMPLE_HOURS hours, a sample per peer
//   (at 60 s polls a fleet writes 60 times that; the point is that no dashboard reads them).
import pg from 'pg'

export async function seedRouterHistory(url: string, opts: { days: number; sampleHours: number }) {
	const c = new pg.Client({ connectionString: url })
	await c.connect()
	try {
		await c.query('set synchronous_commit = off')
		await c.query(
			`insert into router_peer_daily (peer_id, day, router_id, rx, tx)
			 select p.id, d::date, p.router_id, (p.id % 97 + 1) * 1048576, (p.id % 89 + 1) * 524288
			 from router_peers p, generate_series(current_date - $1::int, current_date - 1, interval '1 day') d
			 on conflict do nothing`,
			[opts.days],
		)
		await c.query(
			`insert into router_daily as r (router_id, day, rx, tx)
			 select router_id, day, sum(rx), sum(tx) from router_peer_daily where day < current_date group by 1, 2
			 on conflict (router_id, day) do update set rx = excluded.rx, tx = excluded.tx`,
		)
		await c.query(
			`insert into router_hourly (router_id, hour, rx, tx)
			 select r.id, h, 4096 * 2000 * 60, 2048 * 2000 * 60
			 from routers r, generate_series(date_trunc('hour', now()) - interval '47 hours', date_trunc('hour', now()) - interval '1 hour', interval '1 hour') h
			 on conflict do nothing`,
		)
		const polls = await c.query<{ id: string }>(
			`insert into router_polls (router_id, at, peers, moved, bytes)
			 select r.id, h, 2000, 2000, 0
			 from routers r, generate_series(now() - make_interval(hours => $1::int), now() - interval '1 hour', interval '1 hour') h
			 returning id`,
			[opts.sampleHours],
		)
		await c.query(
			`insert into router_samples (poll_id, peer_id, at, rx, tx, rx_counter, tx_counter)
			 select o.id, p.id, o.at, 4096, 2048, o.id * 4096, o.id * 2048
			 from router_polls o join router_peers p on p.router_id = o.router_id
			 where o.id = any($1::bigint[])
			 on conflict do nothing`,
			[polls.rows.map((r) => r.id)],
		)
		await c.query('analyze router_peers, router_peer_daily, router_daily, router_hourly, router_polls, router_samples, router_peer_cycles')
		const { rows } = await c.query<{ n: string }>('select count(*)::text as n from router_samples')
		return { samples: Number(rows[0]!.n) }
	} finally {
		await c.end()
	}
}
