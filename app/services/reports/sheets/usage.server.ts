// The usage sheets (issue 14): customers with their usage (total, and within the date range from
// the daily rollup), usage per node per customer per day, and usage per MikroTik peer per day.
// Rollup days are calendar dates ('date' columns), so the range compares days, not instants.
import { Prisma } from '~/generated/prisma/client'
import { gbCell, intCell } from '../cells'
import { dayOf, dayRange, when, type SheetDef } from '../sheet'
import { datesOf, dayDatesOf } from './common'

export const customers: SheetDef = {
	columns: [{ key: 'jalali', width: 20 }, { key: 'iso', width: 26 }, { key: 'id' }, { key: 'username', width: 20 }, { key: 'reseller', width: 20 }, { key: 'plan', width: 18 }, { key: 'status', width: 12 }, { key: 'nodes', width: 30 }, { key: 'limitGb' }, { key: 'usedGb' }, { key: 'periodGb' }, { key: 'usedBytes', width: 16 }, { key: 'expiresJalali', width: 20 }, { key: 'expiresIso', width: 26 }],
	select: Prisma.sql`c.id, c.created_at, c.username, r.name as reseller, p.name as plan, c.status::text as status, c.data_limit_bytes, c.used_bytes, c.expire_at, pu.period_bytes,
		(select string_agg(n.name, ', ' order by n.id) from sub_accounts s join nodes n on n.id = s.node_id where s.customer_id = c.id and s.state in ('pending', 'active')) as nodes`,
	from: (f) => Prisma.sql`from customers c
		left join resellers r on r.id = c.reseller_id
		left join plans p on p.id = c.plan_id
		cross join lateral (select coalesce(sum(ud.bytes), 0)::bigint as period_bytes from usage_daily ud where ud.customer_id = c.id ${dayRange('ud.day', f)} ${when(f.nodeId, Prisma.sql`and ud.node_id = ${f.nodeId}`)}) pu
		where c.status <> 'deleted'
		${when(f.resellerId, Prisma.sql`and c.reseller_id = ${f.resellerId}`)}
		${when(f.planId, Prisma.sql`and c.plan_id = ${f.planId}`)}
		${when(f.nodeId, Prisma.sql`and exists (select 1 from sub_accounts s where s.customer_id = c.id and s.node_id = ${f.nodeId})`)}`,
	keys: [{ expr: 'c.id', type: 'int' }],
	cells: (r, { lang, t }) => [
		...datesOf(r.created_at as Date, lang),
		r.id as number,
		r.username as string,
		(r.reseller as string | null) ?? '',
		(r.plan as string | null) ?? '',
		t(`reports.customerStatus.${r.status}`),
		(r.nodes as string | null) ?? '',
		gbCell(r.data_limit_bytes as bigint),
		gbCell(r.used_bytes as bigint),
		gbCell(r.period_bytes as bigint),
		intCell(r.used_bytes as bigint),
		...datesOf(r.expire_at as Date, lang),
	],
}

export const node_usage: SheetDef = {
	columns: [{ key: 'jalali', width: 14 }, { key: 'iso', width: 12 }, { key: 'node', width: 20 }, { key: 'customer', width: 20 }, { key: 'reseller', width: 20 }, { key: 'usedGb' }, { key: 'usedBytes', width: 16 }],
	select: Prisma.sql`u.day, n.name as node, c.username as customer, r.name as reseller, u.bytes`,
	from: (f) => Prisma.sql`from usage_daily u
		join nodes n on n.id = u.node_id
		join customers c on c.id = u.customer_id
		left join resellers r on r.id = c.reseller_id
		where true ${dayRange('u.day', f)}
		${when(f.nodeId, Prisma.sql`and u.node_id = ${f.nodeId}`)}
		${when(f.resellerId, Prisma.sql`and c.reseller_id = ${f.resellerId}`)}
		${when(f.planId, Prisma.sql`and c.plan_id = ${f.planId}`)}`,
	// The primary key's order: the keyset walks the index, page after page.
	keys: [{ expr: 'u.customer_id', type: 'int' }, { expr: 'u.node_id', type: 'int' }, { expr: 'u.day', type: 'date' }],
	cells: (r, { lang }) => [...dayDatesOf(dayOf(r.day), lang), r.node as string, r.customer as string, (r.reseller as string | null) ?? '', gbCell(r.bytes as bigint), intCell(r.bytes as bigint)],
}

export const router_usage: SheetDef = {
	columns: [{ key: 'jalali', width: 14 }, { key: 'iso', width: 12 }, { key: 'router', width: 18 }, { key: 'interface', width: 12 }, { key: 'peer', width: 20 }, { key: 'publicKey', width: 46 }, { key: 'rxGb' }, { key: 'txGb' }, { key: 'usedGb' }, { key: 'usedBytes', width: 16 }],
	select: Prisma.sql`d.day, ro.name as router, p.interface, coalesce(p.name, p.comment) as peer, p.public_key, d.rx, d.tx`,
	from: (f) => Prisma.sql`from router_peer_daily d
		join router_peers p on p.id = d.peer_id
		join routers ro on ro.id = d.router_id
		where true ${dayRange('d.day', f)}
		${when(f.resellerId, Prisma.sql`and exists (select 1 from customers c where c.id = p.customer_id and c.reseller_id = ${f.resellerId})`)}
		${when(f.planId, Prisma.sql`and exists (select 1 from customers c where c.id = p.customer_id and c.plan_id = ${f.planId})`)}`,
	keys: [{ expr: 'd.peer_id', type: 'int' }, { expr: 'd.day', type: 'date' }],
	cells: (r, { lang }) => {
		const rx = r.rx as bigint
		const tx = r.tx as bigint
		return [...dayDatesOf(dayOf(r.day), lang), r.router as string, r.interface as string, (r.peer as string | null) ?? '', r.public_key as string, gbCell(rx), gbCell(tx), gbCell(rx + tx), intCell(rx + tx)]
	},
}
