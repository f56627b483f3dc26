// Calling the admin billing routes the way Remix does, with forms that may repeat a field.
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { expect } from 'vitest'
import { prisma } from '~/utils/db.server'
import { BASE, getRequest, settle } from '../helpers'

type Fields = Record<string, string | string[]>
interface RouteModule {
	loader?: (args: LoaderFunctionArgs) => Promise<unknown>
	action?: (args: ActionFunctionArgs) => Promise<unknown>
}

export function postRequest(path: string, fields: Fields, cookie: string) {
	const body = new URLSearchParams()
	for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one)
	return new Request(`${BASE}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie, 'X-Forwarded-For': '203.0.113.9' }, body })
}

/** Runs an action; a redirect or thrown response gives status + location, data gives status + body. */
export async function act(mod: RouteModule, path: string, fields: Fields, cookie: string, params: Record<string, string> = {}) {
	const res = await settle(() => mod.action!({ request: postRequest(path, fields, cookie), params, context: {} }))
	if (res instanceof Response) return { status: res.status, location: res.headers.get('Location'), body: await res.text() }
	const r = res as { init: { status?: number } | null; data: unknown }
	return { status: r.init?.status ?? 200, location: null, body: JSON.stringify(r.data, (_k, v) => (typeof v === 'bigint' ? String(v) : v)) }
}

/** Runs a loader; returns its data, or the Response it threw. */
export async function load<T extends RouteModule>(mod: T, path: string, cookie: string, params: Record<string, string> = {}) {
	return (await settle(() => mod.loader!({ request: getRequest(path, cookie), params, context: {} }))) as Awaited<ReturnType<NonNullable<T['loader']>>> | Response
}

export const idFrom = (location: string | null) => Number(location!.split('/').pop())

export function makeNode(name: string) {
	return prisma.node.create({ data: { name, kind: 'marzban', baseUrl: 'http://127.0.0.1:9', secrets: 'v1.test' } })
}

/** Rule: the cached balance and pool always equal the sum of the reseller's ledger entries. */
export async function expectBalanceEqualsLedger(resellerId: number) {
	const r = await prisma.reseller.findUniqueOrThrow({ where: { id: resellerId } })
	const sums = await prisma.ledgerEntry.groupBy({ by: ['account'], where: { resellerId }, _sum: { amount: true } })
	const sum = (account: string) => sums.find((s) => s.account === account)?._sum.amount ?? 0n
	expect(r.balance).toBe(sum('money'))
	expect(r.poolBytes).toBe(sum('traffic'))
	// and each entry continues from the previous one
	for (const account of ['money', 'traffic'] as const) {
		const entries = await prisma.ledgerEntry.findMany({ where: { resellerId, account }, orderBy: { id: 'asc' } })
		let running = 0n
		for (const e of entries) {
			expect(e.balanceBefore).toBe(running)
			expect(e.balanceAfter).toBe(running + e.amount)
			running += e.amount
		}
	}
}
