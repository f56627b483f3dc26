// What the reports pages render (both areas), as the loader sends it.
export interface NamedFigure {
	id: number | null
	name: string | null
	net: bigint
}

export interface ReportsView {
	filters: { from: string; to: string; resellerId: number | null; nodeId: number | null; planId: number | null }
	errors: Record<string, string[]> | null
	currency: string
	currencies: string[]
	figures: {
		totals: { charges: bigint; coupons: bigint; gross: bigint; refunds: bigint; credits: bigint; other: bigint; net: bigint }
		perDay: Array<{ day: string; net: bigint }>
		perMonth: Array<{ month: string; net: bigint }>
		byPlan: NamedFigure[]
		byReseller: NamedFigure[]
		byNode: NamedFigure[]
		activePaid: number
		approval: { count: number; medianSec: number | null; p90Sec: number | null }
	}
	exports: Array<{ id: number; kind: string; status: string; rowsDone: number; rowsTotal: number | null; createdAt: Date | string; error: string | null; reason: string | null }>
	/** The admin's filter choices; null for a reseller (his scope is fixed). */
	options: { resellers: Array<{ id: number; name: string }>; nodes: Array<{ id: number; name: string }>; plans: Array<{ id: number; name: string }> } | null
	/** The export kinds offered; null = every kind (the admin). */
	kinds: readonly string[] | null
}
