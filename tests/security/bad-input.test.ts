// MISSION §8: bad input anywhere gets a clear 4xx, never a 500, and writes nothing. Walks every
// route of app/routes.ts (read from the config, so a new route is swept without being listed),
// calls its loader and action with real Requests as each role, with every class of bad input in
// tests/security/bad-inputs.ts, and checks after each case that no application table changed.
import { beforeAll, describe, expect, test } from 'vitest'
import { BAD_PARAMS, badFieldCases, badQueryCases, type Case, wrongBodyCases } from './bad-inputs'
import { changedTables, fingerprint, type Fingerprint } from './db-fingerprint'
import { allRoutes, fieldNamesOf, intentsOf, loadModule, queryKeysOf, type RouteEntry, type RouteFn } from './route-table'
import { PARAM_SAMPLES, ROLES, seedWorld, urlOf, type World } from './seed'

const ROUTES = allRoutes()

/**
 * Intents that need no field besides themselves: any body carrying them is a valid request that
 * does what it says (delete a node, rotate a link…), so they get only the broken-body cases. A new
 * field-less intent shows up below as "wrote <table>" until it is listed here.
 */
const FIELDLESS_INTENTS = new Set(['test', 'delete', 'rotate', 'read_all', 'activate', 'deactivate', 'enable', 'disable', 'claim', 'approve', 'cancel', 'issue', 'pay_wallet', 'void', 'remove_coupon', 'backup_now'])

/** A 5xx that is the route's answer, not a crash: the health check says 503 while no worker beats. */
const DELIBERATE_5XX: Record<string, number> = { 'resources/healthcheck': 503 }

let world: World
let baseline: Fingerprint
beforeAll(async () => {
	world = await seedWorld()
	baseline = await fingerprint()
})

/** The status a loader/action answered with; a thrown non-Response is the 500 we look for. */
async function outcome(fn: RouteFn, request: Request, params: Record<string, string>): Promise<{ status: number } | { error: unknown }> {
	try {
		const r = await fn({ request, params, context: {} })
		if (r instanceof Response) return { status: r.status }
		if (r && typeof r === 'object' && (r as { type?: string }).type === 'DataWithResponseInit') return { status: (r as { init: { status?: number } | null }).init?.status ?? 200 }
		return { status: 200 }
	} catch (e) {
		if (e instanceof Response) return { status: e.status }
		return { error: e }
	}
}

/** Prisma's messages span many lines; its last line says what went wrong. */
function oneLine(e: unknown) {
	const lines = String((e as Error)?.message ?? e).split('\n').map((l) => l.trim()).filter(Boolean)
	return `${(e as Error)?.name ?? 'Error'}: ${lines[lines.length - 1]?.slice(0, 200)}`
}

function paramSets(route: RouteEntry): Array<{ label: string; params: Record<string, string>; valid: boolean }> {
	if (route.paramNames.length === 0) return [{ label: '', params: {}, valid: true }]
	const valid = PARAM_SAMPLES[route.pattern]!(world)
	const bad = route.paramNames.flatMap((name) => BAD_PARAMS.map(([label, v]) => ({ label: `${name}=${label}`, params: { ...valid, [name]: v }, valid: false })))
	return [{ label: 'real row', params: valid, valid: true }, ...bad]
}

test('every dynamic route has a real-row param sample', () => {
	const missing = ROUTES.filter((r) => r.paramNames.length > 0 && !PARAM_SAMPLES[r.pattern]).map((r) => r.pattern)
	expect(missing).toEqual([])
	expect(ROUTES.length).toBeGreaterThan(30) // the config was read, not an empty list
})

describe('bad input on every route, as every role: never a 500, nothing written', () => {
	for (const route of ROUTES) {
		// Many requests per route: a limit a loaded 2-core machine meets (nothing here is timed).
		test(`/${route.pattern} (${route.file})`, { timeout: 600_000 }, async () => {
			const mod = await loadModule(route.file)
			if (!mod.loader && !mod.action) return // a pure layout without server code
			const intents = intentsOf(route)
			const fields = fieldNamesOf(route)
			const queryKeys = queryKeysOf(route)
			const failures: string[] = []
			const check = async (label: string, fn: RouteFn, c: Case, params: Record<string, string>) => {
				const r = await outcome(fn, c.request(), params)
				if ('error' in r) failures.push(`${label}: threw ${oneLine(r.error)}`)
				else if (r.status >= 500 && DELIBERATE_5XX[route.pattern] !== r.status) failures.push(`${label}: answered ${r.status}`)
				const now = await fingerprint()
				const changed = changedTables(baseline, now)
				if (changed.length) failures.push(`${label}: wrote ${changed.join(', ')}`)
				baseline = now // blame only the case that wrote
			}
			for (const role of ROLES) {
				const cookie = await world.cookieOf(role)
				for (const set of paramSets(route)) {
					const path = urlOf(route.pattern, set.params)
					const where = `${role} ${set.label}`.trim()
					if (mod.loader) {
						const cases = set.valid ? badQueryCases(path, cookie, queryKeys) : badQueryCases(path, cookie, []).slice(0, 1)
						for (const c of cases) await check(`GET as ${where}, ${c.label}`, mod.loader, c, set.params)
					}
					if (mod.action) {
						const cases = set.valid
							? [
									...wrongBodyCases(path, cookie, intents[0] ?? 'save'),
									...[...intents.filter((i) => !FIELDLESS_INTENTS.has(i)), null, 'no_such_intent'].flatMap((i) => badFieldCases(path, cookie, i, fields)),
								]
							: badFieldCases(path, cookie, intents.find((i) => !FIELDLESS_INTENTS.has(i)) ?? null, fields).slice(0, 1)
						for (const c of cases) await check(`POST as ${where}, ${c.label}`, mod.action, c, set.params)
					}
				}
			}
			expect(failures).toEqual([])
		})
	}
})
