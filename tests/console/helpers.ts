// The console's routes called as Remix calls them (real Requests), and the rows they show.
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Logger, quickAddJob, runOnce, type TaskList } from 'graphile-worker'
import { prisma } from '~/utils/db.server'
import { env } from '~/utils/env.server'
import { BASE, settle } from '../helpers'

type Fn = (args: LoaderFunctionArgs & ActionFunctionArgs) => Promise<unknown>
export interface Result<T = any> {
	status: number
	location: string | null
	data: T
}

/** Runs a loader or action; thrown redirects/errors and `data()` replies become status + data. */
export async function call<T = any>(fn: unknown, request: Request, params: Record<string, string> = {}): Promise<Result<T>> {
	const r = await settle(() => (fn as Fn)({ request, params, context: {} }))
	if (r instanceof Response) return { status: r.status, location: r.headers.get('Location'), data: null as T }
	if (r && typeof r === 'object' && (r as { type?: string }).type === 'DataWithResponseInit') {
		const d = r as { data: T; init: { status?: number } | null }
		return { status: d.init?.status ?? 200, location: null, data: d.data }
	}
	return { status: 200, location: null, data: r as T }
}

export function get(path: string, cookie?: string) {
	return new Request(`${BASE}${path}`, { headers: cookie ? { Cookie: cookie } : {} })
}

export function post(path: string, fields: Record<string, string>, cookie?: string) {
	const headers = new Headers({ 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': '203.0.113.5' })
	if (cookie) headers.set('Cookie', cookie)
	return new Request(`${BASE}${path}`, { method: 'POST', headers, body: new URLSearchParams(fields) })
}

const connectionString = () => env().DATABASE_URL
// the failures below are on purpose: keep graphile-worker's error log out of the test output
const silent = new Logger(() => () => {})

/** A real graphile-worker job that fails once: queued, then run by a worker whose task throws. */
export async function failingJob(task = 'console_test_boom', payload: object = { customerId: 7 }) {
	const job = await quickAddJob({ connectionString: connectionString(), logger: silent }, task, payload, { maxAttempts: 5 })
	const taskList: TaskList = {
		[task]: async () => {
			throw new Error(`${task} exploded`)
		},
	}
	await runOnce({ connectionString: connectionString(), taskList, logger: silent })
	return job.id
}

/** Runs every due job once with tasks that succeed. */
export function runJobsSucceeding(tasks: string[]) {
	const taskList: TaskList = Object.fromEntries(tasks.map((t) => [t, async () => {}]))
	return runOnce({ connectionString: connectionString(), taskList, logger: silent })
}

export async function jobRow(id: string) {
	const [row] = await prisma.$queryRaw<Array<{ attempts: number; max_attempts: number; run_at: Date; last_error: string | null; locked_at: Date | null }>>`
		select attempts, max_attempts, run_at, last_error, locked_at from graphile_worker.jobs where id = ${id}::bigint`
	return row ?? null
}

export async function makeNode(name: string) {
	return prisma.node.create({ data: { name, kind: 'marzban', baseUrl: 'http://127.0.0.1:9', secrets: 'v1.test' } })
}

let seq = 0
/** A reseller (wallet, no money needed) with one customer and his sub-account on a node. */
export async function customerOn(nodeId: number) {
	seq++
	const user = await prisma.user.create({ data: { username: `console_r${seq}_${Date.now().toString(36)}`, role: 'reseller', passwordHash: 'x' } })
	const reseller = await prisma.reseller.create({ data: { userId: user.id, name: `Console Reseller ${seq}` } })
	const customer = await prisma.customer.create({
		data: { resellerId: reseller.id, username: `cust${seq}`, dataLimitBytes: 10n * 1024n ** 3n, expireAt: new Date(Date.now() + 30 * 86_400_000), subToken: `console-token-${seq}-${Date.now()}` },
	})
	const sub = await prisma.subAccount.create({ data: { customerId: customer.id, nodeId, remoteUsername: `cust${seq}_g${customer.id}`, state: 'active' } })
	return { reseller, customer, sub }
}
