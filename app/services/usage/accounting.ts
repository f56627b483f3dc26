// Counter-delta accounting (rule 12), pure so every case is unit-tested without a database.
// A panel reports a raw counter that normally only grows; it goes down when the panel or router
// restarts it (reboot, reset, WireGuard peer disable/enable). Usage is never invented:
//   delta = cur >= last ? cur - last : cur   (a drop starts a new epoch; the delta is the new value)
// never negative, never the whole old counter again.

export const GIB = 1024n ** 3n
export const MIB = 1024n ** 2n

export interface AccountingRules {
	/** The node's usage multiplier in thousandths (1000 = ×1.0). */
	permille: number
	/** A raw delta above this is held for review instead of counted. */
	jumpBytes: bigint
	/**
	 * A drop no larger than this is read as rounding noise, not a reset (WGDashboard reports GiB
	 * as rounded floats, so a peer's sum can read a few hundred KB lower on a later poll; counting
	 * that as a reset would count the whole counter again). 0 for panels with exact integers.
	 */
	dropToleranceBytes?: bigint
}

export interface CounterState {
	lastCounter: bigint
	counterEpoch: number
}

export interface CounterResult {
	/** What to store: the counter as read now and its epoch. */
	nextCounter: bigint
	nextEpoch: number
	/** Raw bytes on the panel since the last read. */
	rawDelta: bigint
	/** Usage to add (multiplier applied); 0 when held. */
	counted: bigint
	/** Raw bytes held for review; 0 when counted. */
	held: bigint
	reset: boolean
	/** Anything to write at all. */
	changed: boolean
}

/** bytes × permille / 1000, rounded down, in bigint so nothing is lost to floats. */
export function applyMultiplier(bytes: bigint, permille: number): bigint {
	if (!Number.isInteger(permille) || permille < 0) throw new RangeError(`bad usage multiplier ${permille}`)
	return (bytes * BigInt(permille)) / 1000n
}

export function accountCounter(state: CounterState, cur: bigint, rules: AccountingRules): CounterResult {
	const last = state.lastCounter
	const unchanged: CounterResult = { nextCounter: last, nextEpoch: state.counterEpoch, rawDelta: 0n, counted: 0n, held: 0n, reset: false, changed: false }
	if (cur < 0n) return unchanged // a panel bug; a negative counter says nothing about usage
	if (cur === last) return unchanged
	const reset = cur < last
	if (reset && last - cur <= (rules.dropToleranceBytes ?? 0n)) return unchanged
	const rawDelta = reset ? cur : cur - last
	const nextEpoch = reset ? state.counterEpoch + 1 : state.counterEpoch
	// The counter advances either way, so a held jump is not detected again on the next read.
	if (rawDelta > rules.jumpBytes) return { nextCounter: cur, nextEpoch, rawDelta, counted: 0n, held: rawDelta, reset, changed: true }
	return { nextCounter: cur, nextEpoch, rawDelta, counted: applyMultiplier(rawDelta, rules.permille), held: 0n, reset, changed: true }
}

/** Our side of an account's status: anything but a customer in status active is disabled. */
export const wantsEnabled = (customerStatus: string) => customerStatus === 'active'
/** The panel's side, read as provisioning verifies it: only `disabled` is off. */
export const remoteEnabled = (remoteStatus: string) => remoteStatus !== 'disabled'
