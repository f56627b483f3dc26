// The reseller area under test: simulated nodes, a funded reseller with allocations and a session,
// and helpers to call loaders/actions with real Requests (multi-valued form fields included).
import { randomUUID } from 'node:crypto'
import { confirmFieldsOf } from '~/models/customer-form'
import type { QuoteView } from '~/models/quote.server'
import * as detailRoute from '~/routes/reseller+/customers.$id'
import * as newRoute from '~/routes/reseller+/customers.new'
import { createSession } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import type { startAllSims } from '../../sim/start-all'
import { createReseller, fund, simNodes as billingSimNodes, type ResellerOpts } from '../billing/fixtures'
import { createUser } from '../factories'
import { BASE, settle } from '../helpers'

export type Sims = Awaited<ReturnType<typeof startAllSims>>

/** Three nodes on the simulators: share links (Marzban, Marzneshin) and a WireGuard file (WGDashboard). */
export async function simNodes(sims: Sims) {
	return billingSimNodes(sims, (await createUser('admin')).id)
}

export type { ResellerOpts }

/** A reseller login with its profile, allocations and money (posted through the ledger), plus a session cookie. */
export async function resellerFixture(opts: ResellerOpts) {
	const { user, reseller } = await createReseller(opts)
	const cookie = (await createSession(user.id, new Request(BASE))).split(';')[0]!
	return { user, reseller, cookie }
}

export { fund }

export async function balanceOf(resellerId: number) {
	return (await prisma.reseller.findUniqueOrThrow({ where: { id: resellerId } })).balance
}

type Fields = Record<string, string | string[] | undefined> | Array<[string, string]>
const entries = (f: Fields): Array<[string, string]> => (Array.isArray(f) ? f : Object.entries(f).flatMap(([k, v]) => ([] as string[]).concat(v ?? []).map((one): [string, string] => [k, one])))

export function formPost(path: string, fields: Fields, cookie?: string) {
	const body = new URLSearchParams()
	for (const [k, v] of entries(fields)) body.append(k, v)
	const headers = new Headers({ 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': '203.0.113.9' })
	if (cookie) headers.set('Cookie', cookie)
	return new Request(`${BASE}${path}`, { method: 'POST', headers, body })
}

export function getPage(path: string, cookie?: string) {
	return new Request(`${BASE}${path}`, { headers: cookie ? { Cookie: cookie } : {} })
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type RouteFn = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<any>

/** What a loader/action answered: a Response (redirect, error, file) or data() with its status. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function call(fn: RouteFn, request: Request, params: Record<string, string> = {}): Promise<{ status: number; location: string | null; data: any; response: Response | null }> {
	const r = await settle(() => fn({ request, params, context: {} }))
	if (r instanceof Response) return { status: r.status, location: r.headers.get('Location'), data: null, response: r }
	if (r && typeof r === 'object' && (r as { type?: string }).type === 'DataWithResponseInit') {
		const d = r as { data: unknown; init: { status?: number } | null }
		return { status: d.init?.status ?? 200, location: null, data: d.data, response: null }
	}
	return { status: 200, location: null, data: r, response: null }
}

/** The English text of a billing error, to assert the translated message reached the form. */
export async function billingMessage(code: string) {
	const { resources } = await import('~/utils/i18n')
	return (resources.en.common.billingErrors as Record<string, string>)[code]!
}

/** The fields a browser sends from a quote page's confirm form. */
export function confirmEntries(page: { quote: QuoteView; idempotencyKey: string }): Array<[string, string]> {
	return [['intent', 'execute'], ['quoteId', page.quote.id], ['idempotencyKey', page.idempotencyKey], ...confirmFieldsOf(page.quote.inputs)]
}

/** Step 1 → the quote page → its confirm form, as a browser without JavaScript does it. */
export async function createThroughRoutes(cookie: string, fields: Fields) {
	const quoted = await call(newRoute.action, formPost('/reseller/customers/new', [['intent', 'quote'], ...entries(fields)], cookie))
	if (quoted.status !== 302) return { quoted, page: null, executed: null, customerId: null }
	const page = await call(newRoute.loader, getPage(quoted.location!, cookie))
	const executed = await call(newRoute.action, formPost(quoted.location!, confirmEntries(page.data), cookie))
	const customerId = executed.status === 302 && /\/reseller\/customers\/(\d+)$/.test(executed.location ?? '') ? Number(executed.location!.split('/').pop()) : null
	return { quoted, page, executed, customerId }
}

/** An operation of the detail page: quote form → quote page → confirm form. */
export async function operateThroughRoutes(cookie: string, customerId: number, fields: Fields) {
	const path = `/reseller/customers/${customerId}`
	const params = { id: String(customerId) }
	const quoted = await call(detailRoute.action, formPost(path, [['intent', 'quote'], ...entries(fields)], cookie), params)
	if (quoted.status !== 302) return { quoted, page: null, executed: null }
	const page = await call(detailRoute.loader, getPage(quoted.location!, cookie), params)
	const executed = await call(detailRoute.action, formPost(quoted.location!, confirmEntries(page.data), cookie), params)
	return { quoted, page, executed }
}

/** The latest order of a customer (to hand the worker job its ids). */
export async function latestOrder(customerId: number) {
	return prisma.order.findFirstOrThrow({ where: { customerId }, orderBy: { id: 'desc' } })
}

/** What the database holds for a reseller, to prove a refused request wrote nothing. */
export async function snapshot(resellerId: number) {
	const [customers, orders, entries, subAccounts, balance] = await Promise.all([
		prisma.customer.count({ where: { resellerId } }),
		prisma.order.count({ where: { resellerId } }),
		prisma.ledgerEntry.count({ where: { resellerId } }),
		prisma.subAccount.count({ where: { customer: { resellerId } } }),
		balanceOf(resellerId),
	])
	return { customers, orders, entries, subAccounts, balance }
}
