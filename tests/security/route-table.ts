// Every route of app/routes.ts, read from the route config itself (not a hand-kept list), with
// its full URL pattern, its module and what a test can learn from its source: the intents its
// forms send, the field names they carry and the query keys its loader reads. Adding a route to
// app/routes.ts adds it to the bad-input sweep without anyone remembering to.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { RouteConfigEntry } from '@remix-run/route-config'
import routes from '../../app/routes'

const APP = path.resolve(__dirname, '../../app')

export interface RouteEntry {
	/** The URL pattern, e.g. `admin/nodes/:id` ('' is the store's index). */
	pattern: string
	file: string
	/** Dynamic segments in order (`*` for a splat). */
	paramNames: string[]
	source: string
}

function flatten(entries: RouteConfigEntry[], parent = ''): RouteEntry[] {
	return entries.flatMap((e) => {
		const pattern = [parent, e.path ?? ''].filter(Boolean).join('/')
		const self: RouteEntry = { pattern, file: e.file, paramNames: paramNamesOf(pattern), source: readFileSync(path.join(APP, e.file), 'utf8') }
		return [self, ...flatten(e.children ?? [], pattern)]
	})
}

function paramNamesOf(pattern: string) {
	return pattern.split('/').flatMap((s) => (s.startsWith(':') ? [s.slice(1).replace(/\?$/, '')] : s === '*' ? ['*'] : []))
}

export function allRoutes(): RouteEntry[] {
	return flatten(routes as RouteConfigEntry[])
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RouteFn = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<any>
export async function loadModule(file: string): Promise<{ loader?: RouteFn; action?: RouteFn }> {
	return import(/* @vite-ignore */ path.join(APP, file))
}

/** The app's own source files a route module imports (~/…), one level deep: where its forms' schemas live. */
function importedSources(source: string): string[] {
	const out: string[] = []
	for (const m of source.matchAll(/from '~\/((?:models|components|utils)\/[^']+)'/g)) {
		for (const ext of ['.ts', '.tsx']) {
			try {
				out.push(readFileSync(path.join(APP, m[1]! + ext), 'utf8'))
				break
			} catch {
				// not this extension
			}
		}
	}
	return out
}

const NOT_FIELDS = new Set(['error', 'message', 'code', 'path', 'min', 'max', 'default', 'status', 'headers', 'type', 'key', 'values', 'where', 'data', 'select', 'include', 'orderBy', 'take', 'id_'])

/**
 * Field names a route's forms may send: zod object keys and `name=` attributes in the route and
 * the form/model/component files it imports. A superset is harmless (unknown fields are ignored);
 * a missing name only makes a case less sharp, never hides a 500 from the content-type cases.
 */
export function fieldNamesOf(route: RouteEntry): string[] {
	const sources = [route.source, ...importedSources(route.source)]
	const names = new Set<string>(['intent', 'id'])
	for (const src of sources) {
		for (const m of src.matchAll(/name="([A-Za-z_]\w*)"/g)) names.add(m[1]!)
		for (const m of src.matchAll(/^\s*([a-z][A-Za-z0-9_]*): (?:z\.|text\(|optionalText\(|wholeNumber\(|optionalWhole\(|moneyText|checkbox|httpUrl|id\b|gb\b|days\b|nodeIds\b|holdId\b|jobId\b|password\b)/gm)) names.add(m[1]!)
	}
	return [...names].filter((n) => !NOT_FIELDS.has(n)).sort()
}

/** Intents a route's actions tell apart (`intent === 'x'`, `z.literal('x')` next to an intent). */
export function intentsOf(route: RouteEntry): string[] {
	const sources = [route.source, ...importedSources(route.source)]
	const found = new Set<string>()
	for (const src of sources) {
		for (const m of src.matchAll(/intent\s*[!=]==\s*'(\w+)'/g)) found.add(m[1]!)
		for (const m of src.matchAll(/intent: z\.literal\('(\w+)'\)/g)) found.add(m[1]!)
		for (const m of src.matchAll(/name="intent" value="(\w+)"/g)) found.add(m[1]!)
	}
	return [...found].sort()
}

/** Query-string keys the route's loader (or a model it calls) reads. */
export function queryKeysOf(route: RouteEntry): string[] {
	const sources = [route.source, ...importedSources(route.source)]
	const keys = new Set<string>()
	for (const src of sources) {
		for (const m of src.matchAll(/searchParams\.(?:get|has|getAll)\('(\w+)'\)/g)) keys.add(m[1]!)
		for (const m of src.matchAll(/\bget\('(\w+)'\)/g)) keys.add(m[1]!)
		if (/parseListParams\(/.test(src)) ['q', 'after'].forEach((k) => keys.add(k))
	}
	return [...keys].sort()
}
