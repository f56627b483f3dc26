// `npm run bench [-- CASE…]`: runs the cases, prints a table, writes bench/results.json.
import { writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { httpBaseline } from './cases/http-baseline'
import { listAccounts } from './cases/list-accounts'
import { customerList } from './cases/customer-list'
import { subBench } from './cases/sub'
import { usageSync } from './cases/usage-sync'
import { enforcementRate } from './cases/enforcement-rate'
import { burstBench } from './cases/burst'
import { paymentsBench } from './cases/payments'
import { routersBench } from './cases/routers'
import { scaleBench } from './cases/scale'
import type { BenchCase, Figure } from './types'

const CASES: BenchCase[] = [httpBaseline, listAccounts, subBench, customerList, usageSync, enforcementRate, burstBench, paymentsBench, routersBench]

// Run only when named (`npm run bench -- scale`): minutes long at their full size (issue 16).
const ON_REQUEST: BenchCase[] = [scaleBench]

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'))
const known = [...CASES, ...ON_REQUEST]
const unknown = wanted.filter((w) => !known.some((c) => c.name === w))
if (unknown.length) {
	console.error(`Unknown case(s): ${unknown.join(', ')}. Cases: ${CASES.map((c) => c.name).join(', ')}; on request: ${ON_REQUEST.map((c) => c.name).join(', ')}`)
	process.exit(2)
}
const selected = wanted.length ? known.filter((c) => wanted.includes(c.name)) : CASES

const figures: Figure[] = []
for (const c of selected) {
	console.log(`▶ ${c.name}: ${c.description}`)
	figures.push(...(await c.run()))
}

const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`
const header = ['case', 'metric', 'value', 'unit', 'baseline', 'ratio', 'bar']
const rows = figures.map((f) => [f.case, f.metric, String(f.value), f.unit, f.baseline == null ? '–' : String(f.baseline), f.ratio == null ? '–' : String(f.ratio), f.bar ?? '–'])
const table = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n')
console.log(`\nMachine: ${machine}\n\n${table}\n`)
writeFileSync('bench/results.json', JSON.stringify({ machine, at: new Date().toISOString(), figures }, null, 2))
process.exit(0)
