// Shared geometry of the server-rendered charts: a "nice" axis maximum and label thinning.
// Charts are plain SVG so they render on the server (recharts renders nothing there) and read
// the same with JavaScript off.

export interface ChartPoint {
	/** Already formatted for the reader (a Jalali day, an hour). */
	label: string
	value: number
}

/** 1, 2 or 5 × 10ⁿ at or above the largest value, so gridlines fall on round numbers. */
export function niceMax(max: number) {
	if (!(max > 0)) return 1
	const pow = 10 ** Math.floor(Math.log10(max))
	for (const step of [1, 2, 5, 10]) if (step * pow >= max) return step * pow
	return 10 * pow
}

/** Show about `wanted` labels along the axis, always the first and the last. */
export function labelEvery(count: number, wanted = 7) {
	return Math.max(1, Math.ceil(count / wanted))
}

/** The x of point i: in RTL the first point sits at the right edge (time runs right to left). */
export function xOf(i: number, count: number, width: number, rtl: boolean, inset = 0) {
	const span = width - inset * 2
	const x = count <= 1 ? span / 2 : (i / (count - 1)) * span
	return inset + (rtl ? span - x : x)
}

/**
 * The first and last x labels sit at the plot's edges: anchor them inwards so they are not
 * clipped. SVG text-anchor follows the text's direction, which is already right-to-left in
 * Persian (the first point is then at the right edge), so "start" points inwards in both; the
 * axis-maximum label is anchored "end" for the same reason (it sits at the end edge).
 */
export function edgeAnchor(i: number, count: number) {
	if (i === 0) return 'start'
	if (i === count - 1) return 'end'
	return 'middle'
}
