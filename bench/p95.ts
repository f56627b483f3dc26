// In-process loader timing shared by the list benches: 20 warm-up calls, then `runs` timed calls.

export function p95(samples: number[]) {
	const s = [...samples].sort((a, b) => a - b)
	return s[Math.floor(s.length * 0.95)]!
}

/** p95 in ms of `runs` sequential calls of `fn`, after a warm-up. */
export async function timeP95(fn: () => Promise<unknown>, runs = 200) {
	for (let i = 0; i < 20; i++) await fn()
	const samples: number[] = []
	for (let i = 0; i < runs; i++) {
		const t = performance.now()
		await fn()
		samples.push(performance.now() - t)
	}
	return p95(samples)
}
