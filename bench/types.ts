export interface Figure {
	case: string
	metric: string
	value: number
	unit: string
	/** The same measurement on the bare baseline in the same run (null where none applies). */
	baseline: number | null
	/** value / baseline. */
	ratio: number | null
	/** The bar this figure is held to (MISSION.md §8), or null. */
	bar: string | null
}

export interface BenchCase {
	name: string
	description: string
	run(): Promise<Figure[]>
}

export function figure(c: string, metric: string, value: number, unit: string, baseline: number | null, bar: string | null = null): Figure {
	return { case: c, metric, value: round(value), unit, baseline: baseline == null ? null : round(baseline), ratio: baseline ? round(value / baseline) : null, bar }
}

const round = (n: number) => Math.round(n * 100) / 100
