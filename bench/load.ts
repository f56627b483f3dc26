// A small closed-loop HTTP load generator (undici Pool): C connections each sending requests
// back to back for D ms. Reports requests/s and latency percentiles.
import { Pool } from 'undici'

export interface LoadResult {
	requests: number
	errors: number
	rps: number
	p50: number
	p95: number
	p99: number
}

export async function load(url: string, { connections = 16, durationMs = 5000, warmupMs = 1000, headers = {} as Record<string, string>, expectStatus = 200 } = {}): Promise<LoadResult> {
	const u = new URL(url)
	const pool = new Pool(u.origin, { connections, pipelining: 1 })
	const path = u.pathname + u.search
	const once = async () => {
		const res = await pool.request({ path, method: 'GET', headers })
		await res.body.dump()
		return res.statusCode
	}
	const loop = async (until: number, latencies: number[] | null, counters: { errors: number }) => {
		while (performance.now() < until) {
			const t = performance.now()
			const status = await once().catch(() => -1)
			if (status !== expectStatus) counters.errors++
			latencies?.push(performance.now() - t)
		}
	}
	const warm = { errors: 0 }
	await Promise.all(Array.from({ length: connections }, () => loop(performance.now() + warmupMs, null, warm)))
	const latencies: number[] = []
	const counters = { errors: 0 }
	const start = performance.now()
	await Promise.all(Array.from({ length: connections }, () => loop(start + durationMs, latencies, counters)))
	const elapsed = performance.now() - start
	await pool.close()
	latencies.sort((a, b) => a - b)
	const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0
	return { requests: latencies.length, errors: counters.errors, rps: (latencies.length / elapsed) * 1000, p50: pct(50), p95: pct(95), p99: pct(99) }
}
