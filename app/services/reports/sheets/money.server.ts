// The money sheets (issue 14): orders, store invoices, payments by method and card with the
// method's daily-limit usage on the payment's Tehran day, and the ledger per wallet (wallet legs
// only: the counter legs are the hub's side, docs/decisions/013).
import { Prisma } from '~/generated/prisma/client'
import { gbCell, intCell, moneyCell } from '../cells'
import { instantRange, when, type SheetDef } from '../sheet'
import { datesOf } from './common'

export const orders: SheetDef = {
	columns: [{ key: 'jalali', width: 20 }, { key: 'iso', width: 26 }, { key: 'id' }, { key: 'kind', width: 14 }, { key: 'status', width: 14 }, { key: 'reseller', width: 20 }, { key: 'customer', width: 20 }, { key: 'plan', width: 18 }, { key: 'amount', width: 18 }, { key: 'currency' }, { key: 'trafficGb' }, { key: 'days' }],
	select: Prisma.sql`o.id, o.created_at, o.kind, o.status::text as status, o.amount, o.currency, o.traffic_bytes, o.days, r.name as reseller, c.username as customer, p.name as plan`,
	from: (f) => Prisma.sql`from orders o
		left join resellers r on r.id = o.reseller_id
		left join customers c on c.id = o.customer_id
		left join plans p on p.id = c.plan_id
		where true ${instantRange('o.created_at', f)}
		${when(f.resellerId, Prisma.sql`and o.reseller_id = ${f.resellerId}`)}
		${when(f.planId, Prisma.sql`and c.plan_id = ${f.planId}`)}
		${when(f.nodeId, Prisma.sql`and exists (select 1 from sub_accounts s where s.customer_id = o.customer_id and s.node_id = ${f.nodeId})`)}`,
	keys: [{ expr: 'o.id', type: 'int' }],
	cells: (r, { lang, t }) => [
		...datesOf(r.created_at as Date, lang),
		r.id as number,
		t(`reports.orderKind.${r.kind}`),
		t(`reports.orderStatus.${r.status}`),
		(r.reseller as string | null) ?? '',
		(r.customer as string | null) ?? '',
		(r.plan as string | null) ?? '',
		moneyCell(r.amount as bigint, r.currency as string, lang),
		r.currency as string,
		gbCell(r.traffic_bytes as bigint),
		intCell(r.days as number),
	],
}

export const invoices: SheetDef = {
	columns: [{ key: 'jalali', width: 20 }, { key: 'iso', width: 26 }, { key: 'id' }, { key: 'number', width: 18 }, { key: 'type', width: 12 }, { key: 'kind', width: 12 }, { key: 'status', width: 10 }, { key: 'payment', width: 10 }, { key: 'user', width: 18 }, { key: 'plan', width: 18 }, { key: 'subtotal', width: 16 }, { key: 'discount', width: 16 }, { key: 'tax', width: 14 }, { key: 'total', width: 16 }, { key: 'paidJalali', width: 20 }],
	select: Prisma.sql`i.id, i.created_at, i.number, i.type, i.kind, i.status::text as status, i.payment_status::text as payment_status, u.username, p.name as plan, i.subtotal, i.discount, i.tax_amount, i.total, i.currency, i.paid_at`,
	from: (f) => Prisma.sql`from invoices i
		join users u on u.id = i.user_id
		left join plans p on p.id = i.plan_id
		where i.status <> 'draft' ${instantRange('i.created_at', f)}
		${when(f.resellerId, Prisma.sql`and false`) /* store invoices belong to no reseller */}
		${when(f.planId, Prisma.sql`and i.plan_id = ${f.planId}`)}
		${when(f.nodeId, Prisma.sql`and exists (select 1 from plan_nodes pn where pn.plan_id = i.plan_id and pn.node_id = ${f.nodeId})`)}`,
	keys: [{ expr: 'i.id', type: 'bigint' }],
	cells: (r, { lang, t }) => {
		const cur = r.currency as string
		return [
			...datesOf(r.created_at as Date, lang),
			intCell(r.id as bigint),
			(r.number as string | null) ?? '',
			t(`reports.invoiceType.${r.type}`),
			t(`reports.invoiceKind.${r.kind}`),
			t(`reports.invoiceStatus.${r.status}`),
			t(`reports.paymentStatus.${r.payment_status}`),
			r.username as string,
			(r.plan as string | null) ?? '',
			moneyCell(r.subtotal as bigint, cur, lang),
			moneyCell(r.discount as bigint, cur, lang),
			moneyCell(r.tax_amount as bigint, cur, lang),
			moneyCell(r.total as bigint, cur, lang),
			r.paid_at ? datesOf(r.paid_at as Date, lang)[0]! : '',
		]
	},
}

// The method's usage of the payment's Tehran day, counted as the rotation counts it (reservations
// a payment used: app/models/payment-method.server.ts), against the method's daily limits.
export const payments: SheetDef = {
	columns: [{ key: 'jalali', width: 20 }, { key: 'iso', width: 26 }, { key: 'id' }, { key: 'status', width: 12 }, { key: 'channel', width: 10 }, { key: 'method', width: 20 }, { key: 'cardLast4' }, { key: 'payer', width: 18 }, { key: 'reseller', width: 18 }, { key: 'amount', width: 18 }, { key: 'amountRial', width: 18 }, { key: 'tracking', width: 18 }, { key: 'dayCount' }, { key: 'dayCountLimit' }, { key: 'dayAmount', width: 18 }, { key: 'dayAmountLimit', width: 18 }, { key: 'dayLimitPct' }],
	select: Prisma.sql`pay.id, pay.created_at, pay.status::text as status, pay.channel::text as channel, m.alias as method, right(m.details->>'number', 4) as card_last4,
		u.username as payer, r.name as reseller, pay.amount, pay.currency, pay.tracking_code, m.daily_count_limit, m.daily_amount_limit, d.n as day_count, d.total as day_amount`,
	from: (f) => Prisma.sql`from payments pay
		join users u on u.id = pay.user_id
		left join resellers r on r.id = pay.reseller_id
		left join payment_methods m on m.id = pay.method_id
		left join lateral (
			select count(*)::int as n, coalesce(sum(res.amount), 0)::bigint as total from payment_reservations res
			where res.method_id = pay.method_id and res.used_at is not null
				and res.reserved_at >= (date_trunc('day', pay.created_at at time zone 'Asia/Tehran') at time zone 'Asia/Tehran')
				and res.reserved_at < ((date_trunc('day', pay.created_at at time zone 'Asia/Tehran') + interval '1 day') at time zone 'Asia/Tehran')
		) d on pay.method_id is not null
		where true ${instantRange('pay.created_at', f)}
		${when(f.resellerId, Prisma.sql`and pay.reseller_id = ${f.resellerId}`)}`,
	keys: [{ expr: 'pay.id', type: 'bigint' }],
	cells: (r, { lang, t, reseller }) => {
		const cur = r.currency as string
		if (reseller) r = { ...r, day_count: null, day_amount: null, daily_count_limit: null, daily_amount_limit: null }
		const limit = r.daily_amount_limit as bigint | null
		const used = (r.day_amount as bigint | null) ?? null
		return [
			...datesOf(r.created_at as Date, lang),
			intCell(r.id as bigint),
			t(`reports.paymentState.${r.status}`),
			t(`reports.channel.${r.channel}`),
			(r.method as string | null) ?? '',
			(r.card_last4 as string | null) ?? '',
			r.payer as string,
			(r.reseller as string | null) ?? '',
			moneyCell(r.amount as bigint, cur, lang),
			intCell(r.amount as bigint),
			(r.tracking_code as string | null) ?? '',
			intCell((r.day_count as number | null) ?? null),
			intCell((r.daily_count_limit as number | null) ?? null),
			moneyCell(used, cur, lang),
			moneyCell(limit, cur, lang),
			limit && used != null && limit > 0n ? { value: Number((used * 10_000n) / limit) / 10_000, numFmt: '0.0%' } : { value: null },
		]
	},
}

export const ledger: SheetDef = {
	columns: [{ key: 'jalali', width: 20 }, { key: 'iso', width: 26 }, { key: 'id' }, { key: 'wallet', width: 22 }, { key: 'owner', width: 20 }, { key: 'entryKind', width: 16 }, { key: 'ref', width: 16 }, { key: 'amount', width: 18 }, { key: 'balanceBefore', width: 18 }, { key: 'balanceAfter', width: 18 }, { key: 'currency' }, { key: 'note', width: 30 }],
	select: Prisma.sql`e.id, e.created_at, e.account_code, coalesce(r.name, u.username) as owner, e.kind, e.ref_type, e.ref_id, e.amount, e.balance_before, e.balance_after, e.currency, e.note`,
	from: (f) => Prisma.sql`from ledger_entries e
		left join resellers r on r.id = e.reseller_id
		left join users u on u.id = e.user_id
		where (e.reseller_id is not null or e.user_id is not null) ${instantRange('e.created_at', f)}
		${when(f.resellerId, Prisma.sql`and e.reseller_id = ${f.resellerId}`)}`,
	keys: [{ expr: 'e.id', type: 'bigint' }],
	cells: (r, { lang, t }) => {
		const cur = r.currency as string
		// A traffic pool's legs are bytes: shown in GB, not as money.
		const amount = (v: unknown) => (cur === 'B' ? gbCell(v as bigint | null) : moneyCell(v as bigint | null, cur, lang))
		return [
			...datesOf(r.created_at as Date, lang),
			intCell(r.id as bigint),
			r.account_code as string,
			(r.owner as string | null) ?? '',
			t(`reports.entryKind.${r.kind}`),
			r.ref_type ? `${r.ref_type}:${r.ref_id}` : '',
			amount(r.amount),
			amount(r.balance_before),
			amount(r.balance_after),
			cur === 'B' ? 'GB' : cur,
			(r.note as string | null) ?? '',
		]
	},
}
