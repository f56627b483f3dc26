// Self time of a V8 .cpuprofile (node --cpu-prof) grouped by package and by function, as a
// markdown table: the "where one request's CPU goes" table of issue 16. Packages are the
// node_modules folder a frame's script sits in; our bundled app (build/server) is "app (build)";
// Node's own modules "node internals"; V8's pseudo-frames keep their names (GC, program).
//
//   npx tsx bench/cpuprofile-summary.ts FILE.cpuprofile [requests [windowMs]]
import { readFileSync } from 'node:fs'

interface Node {
	id: number
	callFrame: { functionName: string; url: string; lineNumber: number }
	children?: number[]
}
interface Profile {
	nodes: Node[]
	samples: number[]
	timeDeltas: number[]
	startTime: number
	endTime: number
}

function packageOf(url: string, fn: string) {
	if (!url) return fn || '(anonymous native)'
	const nm = url.lastIndexOf('node_modules/')
	if (nm >= 0) {
		const rest = url.slice(nm + 'node_modules/'.length).split('/')
		return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!
	}
	if (url.startsWith('node:')) return 'node internals'
	if (url.includes('/build/server/')) return 'app (build)'
	if (url.includes('/app/generated/')) return 'prisma generated client'
	return url.replace(/^file:\/\/.*?\/(server|bench|app)\//, '$1/')
}

/** windowMs: only the profile's last windowMs (the load, not the server's start-up). */
export function summarise(file: string, requests?: number, windowMs?: number) {
	const p = JSON.parse(readFileSync(file, 'utf8')) as Profile
	const byId = new Map(p.nodes.map((n) => [n.id, n]))
	const self = new Map<number, number>()
	// timeDeltas[i] is the time before sample i; it is charged to that sample's frame.
	const from = windowMs ? p.endTime - windowMs * 1000 : -Infinity
	for (let i = 0, t = p.startTime; i < p.samples.length; i++) {
		t += p.timeDeltas[i] ?? 0
		if (t >= from) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0))
	}
	const pkg = new Map<string, number>()
	const fns = new Map<string, number>()
	let busy = 0
	let idle = 0
	for (const [id, us] of self) {
		const { functionName, url, lineNumber } = byId.get(id)!.callFrame
		if (functionName === '(idle)') {
			idle += us
			continue
		}
		busy += us
		const k = packageOf(url, functionName)
		pkg.set(k, (pkg.get(k) ?? 0) + us)
		const f = `${functionName || '(anonymous)'} — ${k}${url ? `:${lineNumber + 1}` : ''}`
		fns.set(f, (fns.get(f) ?? 0) + us)
	}
	const per = (us: number) => (requests ? ` | ${(us / 1000 / requests).toFixed(2)}` : '')
	const head = requests ? ' | ms per request' : ''
	const table = (title: string, m: Map<string, number>, top: number) =>
		[`| ${title} | self ms | % of busy${head} |`, `|---|---|---|${requests ? '---|' : ''}`, ...[...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => `| ${k} | ${(us / 1000).toFixed(0)} | ${((100 * us) / busy).toFixed(1)}${per(us)} |`)].join('\n')
	const wall = windowMs ?? (p.endTime - p.startTime) / 1000
	return [`profile ${file}: ${wall.toFixed(0)} ms wall, ${(busy / 1000).toFixed(0)} ms busy, ${(idle / 1000).toFixed(0)} ms idle${requests ? `, ${requests} requests → ${(busy / 1000 / requests).toFixed(2)} ms CPU each` : ''}`, '', table('package', pkg, 25), '', table('function', fns, 40)].join('\n')
}

if (process.argv[1]?.endsWith('cpuprofile-summary.ts')) {
	const num = (s?: string) => (s ? Number(s) : undefined)
	console.log(summarise(process.argv[2]!, num(process.argv[3]), num(process.argv[4])))
}
