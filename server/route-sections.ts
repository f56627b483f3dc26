// One Remix request handler per top-level section of the URL space (decision 036). Remix's
// server runtime matches every request against the whole route tree twice (matchServerRoutes,
// then the static handler's query), and @remix-run/router flattens, ranks and compiles all ~90
// routes on each call. A handler whose build holds only the routes that could match the path
// does the same work over a tenth of them.
//
// Why the answer cannot change: matchRoutes ranks the branches (a route with its ancestors) with a
// comparator that looks only at the two branches compared, and returns the first branch that
// matches. A subset that keeps every branch able to match the path therefore ranks those branches
// in the same order and returns the same one. A branch whose full path starts with a static
// segment ("admin", "pay") can only match a path whose first segment is that word (matching
// ignores case unless the route says otherwise, hence the lower-case key); every other branch
// (the root, index routes, `:param` or `*` first segments) can match anything and is in every
// section. tests/server/route-sections.test.ts checks it route by route.
import type { ServerBuild } from '@remix-run/node'

type Routes = ServerBuild['routes']
type EntryModule = ServerBuild['entry']['module']

/** A first segment we can key on without decoding or normalising anything. */
const PLAIN_SEGMENT = /^[a-z0-9_-]+$/i
/** The section of a request path: its first segment, before `/`, the end, or single fetch's `.data`. */
const REQUEST_SECTION = /^\/([a-z0-9_-]+)(?=\/|\.data$|$)/i

/** The route's own path joined with its ancestors', as flattenRoutes builds a branch's path. */
function fullPath(routes: Routes, id: string): string {
	const route = routes[id]!
	const own = route.path ?? ''
	return route.parentId ? `${fullPath(routes, route.parentId)}/${own}` : own
}

/** The static first segment of the route's full path (lower case), or null when any path may reach it. */
export function routeSection(routes: Routes, id: string): string | null {
	const first = fullPath(routes, id)
		.split('/')
		.find((s) => s !== '')
	return first !== undefined && PLAIN_SEGMENT.test(first) ? first.toLowerCase() : null
}

/**
 * Which section a request goes to: '' for paths only the catch-all routes can match (`/`, an
 * unknown first word is found by the same lookup), null when the path needs the whole tree —
 * percent-escapes, dots, repeated slashes (let Remix decode and match those over every route),
 * Remix's own `/__manifest` (route discovery matches many paths in one request), and `?_data=`
 * requests (they name a route id, which may live in any section).
 */
export function requestSection(url: URL): string | null {
	if (url.pathname === '/') return ''
	if (url.pathname === '/__manifest' || url.searchParams.has('_data')) return null
	const m = REQUEST_SECTION.exec(url.pathname)
	return m ? m[1]!.toLowerCase() : null
}

/** The routes of one section: those keyed to it, the catch-all ones, and their ancestors (keyed alike). */
export function sectionRoutes(routes: Routes, section: string): Routes {
	const kept: Routes = {}
	for (const id of Object.keys(routes)) {
		const key = routeSection(routes, id)
		if (key === null || key === section) kept[id] = routes[id]!
	}
	return kept
}

/**
 * The build a section's handler is made from. Remix hands the render `routeModules` derived from
 * `build.routes`; the page's render (entry.server.tsx) may need modules of other sections — its
 * manifest is the whole route table on error pages — so the render gets the whole build's.
 */
export function sectionBuild(build: ServerBuild, section: string): ServerBuild {
	const allModules = Object.fromEntries(Object.entries(build.routes).map(([id, r]) => [id, r.module]))
	const render = build.entry.module.default
	const module: EntryModule = {
		...build.entry.module,
		default: (request, status, headers, context, loadContext) => {
			context.routeModules = allModules
			return render(request, status, headers, context, loadContext)
		},
	}
	return { ...build, routes: sectionRoutes(build.routes, section), entry: { ...build.entry, module } }
}

/** Every section a static route names, and '' (the catch-all routes alone). */
export function sectionsOf(build: ServerBuild): string[] {
	const keys = new Set([''])
	for (const id of Object.keys(build.routes)) {
		const key = routeSection(build.routes, id)
		if (key !== null) keys.add(key)
	}
	return [...keys]
}

/**
 * handlerFor(url): the handler for the request's section, the whole build's when the path needs
 * it (or there is no URL to go by). A build with a basename other than `/` always gets the whole one (sections are not keyed
 * past a basename).
 */
export function sectionedHandlers<H>(build: ServerBuild, makeHandler: (build: ServerBuild) => H) {
	const whole = makeHandler(build)
	if ((build.basename ?? '/') !== '/') return () => whole
	const bySection = new Map(sectionsOf(build).map((s) => [s, makeHandler(sectionBuild(build, s))]))
	const catchAll = bySection.get('')!
	return (url: URL | null): H => {
		const section = url && requestSection(url)
		if (section === null) return whole
		return bySection.get(section) ?? catchAll
	}
}
