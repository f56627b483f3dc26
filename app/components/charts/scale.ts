// Shared geometry of the server-rendered charts: a "nice" axis maximum and label thinning.
// Charts are plain SVG so they render on the server (recharts renders nothing there) and read
// the same with JavaScript off.

export interface ChartPoint {
	/** Already formatted for the reader (a Jalali day, an hour). */
	label: string
	value: number
}

/** 1, 2 or 5 × 10ⁿ at or above the largest value, so gridlines fall on round numbers; 0 when
 * nothing is above zero — an axis of 1 would label the chart with an amount nobody had
 * ("0.1 Toman" for one rial). */
export function niceMax(max: number) {
	if (!(max > 0)) return 0
	const pow = 10 ** Math.floor(Math.log10(max))
	for (const step of [1, 2, 5, 10]) if (step * pow >= max) return step * pow
	return 10 * pow
}

/** Nothing to draw: no points, or every point zero. Charts show "no data yet" instead of an axis. */
export function isEmptySeries(data: ChartPoint[]) {
	return !data.some((d) => d.value !== 0)
}

/** The height of a bar (or a point's rise) for value v on an axis to `max`: 0 when the axis is 0.
 * Negative values (net refunds) draw nothing here; their amount is in the table beside the chart. */
export function scaled(v: number, max: number, span: number) {
	return max > 0 ? (Math.max(0, v) / max) * span : 0
}

/** The fractions of the axis that get a labelled gridline: the half only when it is a whole unit
 * (an axis to 1 rial or 5 bytes would otherwise print half a rial). */
export function gridFractions(max: number) {
	if (!(max > 0)) return [0] // only refunds: one zero line at the baseline, no made-up top
	return Number.isInteger(max / 2) ? [0.5, 1] : [1]
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
	// a lone point sits in the middle of the plot, so its label is centred under it
	if (count === 1) return 'middle'
	if (i === 0) return 'start'
	if (i === count - 1) return 'end'
	return 'middle'
}
