// Collects every `action` the code can write to audit_events, from the source itself: the
// literal actions of audit() calls, the dynamic ones (a template such as `customer.${action}`)
// expanded from the union type they come from, and the actions the audit triggers build from
// the rows they copy. A writer this file does not understand is reported as unknown, so a new
// kind of writer fails the names test instead of slipping past it.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { PaymentStatus } from '~/generated/prisma/enums'

const ROOT = path.resolve(__dirname, '../..')
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8')

function sourceFiles(dir: string): string[] {
	return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
		const rel = path.join(dir, name)
		if (name === 'generated' || name === 'node_modules') return []
		if (statSync(path.join(ROOT, rel)).isDirectory()) return sourceFiles(rel)
		return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [rel] : []
	})
}

/** The string members of a union type alias or annotation matched by `re` (its first group). */
function unionOf(file: string, re: RegExp): string[] {
	const m = re.exec(read(file))
	if (!m) throw new Error(`${file}: ${re} not found — the audit names test must follow the change`)
	return [...m[1]!.matchAll(/'([a-z_]+)'/g)].map((x) => x[1]!)
}

/** Dynamic action expressions in audit() calls and the raw SQL, with where their values come from. */
const TEMPLATES: Record<string, () => string[]> = {
	// app/services/billing/orders.server.ts manualAction(…, action: 'disable' | 'enable' | 'delete')
	'`customer.${action}`': () => unionOf('app/services/billing/orders.server.ts', /export async function manualAction\([^)]*action: ((?:'[a-z_]+'(?: \| )?)+)/).map((a) => `customer.${a}`),
	// app/services/billing/execute-sql.server.ts recordOrder: order.<QuoteInput kind>
	'`order.${o.kind}`': () => [...read('app/services/billing/quotes.server.ts').split('export type QuoteInput =')[1]!.split('\n\n')[0]!.matchAll(/kind: '([a-z_]+)'/g)].map((m) => `order.${m[1]}`),
}

/** The audit triggers (prisma/migrations/*_audit_log) and the actions each can write. */
const TRIGGERS: Record<string, () => string[]> = {
	audit_ledger_moves: () => unionOf('app/services/billing/ledger.server.ts', /export type LedgerKind = ([^\n]+)/).map((k) => `ledger.${k}`),
	audit_payment_events: () => Object.values(PaymentStatus).map((s) => `payment.${s}`),
	// Writers without an actor: enforcement (auto_*) and provisioning (node_failed); storefront
	// activations (data.invoiceId) use the invoice's kind, 'new' being written as 'created'.
	audit_customer_events: () => [
		...['auto_disabled', 'auto_enabled', 'node_failed'].map((k) => `customer.${k}`),
		...unionOf('app/services/invoices/pricing.server.ts', /kind: ((?:'[a-z_]+'(?: \| )?)+)/).map((k) => `store.${k === 'new' ? 'created' : k}`),
	],
	// router_actions.action: enable | disable (prisma/schema.prisma RouterAction)
	audit_router_actions: () => ['router.peer.enable', 'router.peer.disable'],
}

export interface Collected {
	actions: Map<string, string[]>
	unknown: string[]
}

export function collectActions(): Collected {
	const actions = new Map<string, string[]>()
	const unknown: string[] = []
	const add = (a: string, where: string) => actions.set(a, [...(actions.get(a) ?? []), where])
	for (const file of ['app', 'scripts', 'server', 'worker'].flatMap(sourceFiles)) {
		const src = read(file)
		// audit({ … action: EXPR, entityType … }) — EXPR up to the next top-level field
		for (const m of src.matchAll(/\baudit\(\s*\{[^]*?\baction:\s*([^]*?),\s*entityType\b/g)) classify(m[1]!.trim(), file)
		// raw SQL: insert into audit_events (…, action, …) select …, ${`x.${y}`}::text, …
		for (const m of src.matchAll(/insert into audit_events[^]*?\$\{(`[^`]*`)\}::text/gi)) classify(m[1]!, file)
	}
	function classify(expr: string, file: string) {
		const template = /^`[^`]*`$/.test(expr) && expr.includes('${')
		if (template) {
			const expand = TEMPLATES[expr]
			if (expand) for (const a of expand()) add(a, file)
			else unknown.push(`${file}: ${expr}`)
			return
		}
		// an action always has a dot; other literals are a condition's operands
		const literals = [...expr.matchAll(/'([a-z_]+(?:\.[a-z_]+)+)'/g)].map((x) => x[1]!)
		// a literal, or a conditional between literals (`active ? 'plan.activate' : 'plan.deactivate'`)
		const onlyLiterals = expr.replace(/'[a-z_.]*'/g, '').replace(/[\w.\s?:!=()]/g, '') === ''
		if (!literals.length || !onlyLiterals) unknown.push(`${file}: ${expr}`)
		for (const a of literals) add(a, file)
	}
	for (const dir of readdirSync(path.join(ROOT, 'prisma/migrations'))) {
		const file = path.join('prisma/migrations', dir, 'migration.sql')
		let sql: string
		try {
			sql = read(file)
		} catch {
			continue
		}
		for (const m of sql.matchAll(/CREATE FUNCTION (\w+)\(\)[^]*?\$\$;/g)) {
			if (!/INSERT INTO audit_events/i.test(m[0])) continue
			const expand = TRIGGERS[m[1]!]
			if (expand) for (const a of expand()) add(a, file)
			else unknown.push(`${file}: trigger ${m[1]}`)
		}
	}
	return { actions, unknown }
}
