// Per-peer delta of one poll (issue 13), pure. The counter rule is the usage pipeline's
// (usage/accounting.ts, decision 007): a counter that goes down is a reset — a new epoch whose
// delta is the new value. Added here:
// - the router's uptime going down is a reset of every peer, even of a counter that has already
//   grown past its old value again (it restarted at 0 at boot);
// - a delta faster than the router's link rate over the time it covers is held for review, never
//   counted (a counter glitch, or a peer re-created with a recycled key);
// - a missed poll is not interpolated: the next delta covers the whole gap, and the link-rate
//   bound grows with that gap.
import { accountCounter } from '~/services/usage/accounting'

export interface PeerCounters {
	lastRx: bigint
	lastTx: bigint
	counterEpoch: number
}

export interface PeerDelta {
	rx: bigint
	tx: bigint
	/** Raw bytes held for review (rx + tx) instead of counted; rx/tx are then 0. */
	heldRx: bigint
	heldTx: bigint
	reset: boolean
	nextRx: bigint
	nextTx: bigint
	nextEpoch: number
	/** Bytes flowed since the last poll (a reset to 0 alone is not traffic). */
	moved: boolean
}

/**
 * The most bytes one direction can carry in `elapsedSec` at `linkRateMbps`, with two seconds of
 * slack for poll jitter (a poll's "now" and the router's counter read are not the same instant).
 */
export function linkRateBound(linkRateMbps: number, elapsedSec: number): bigint {
	return (BigInt(linkRateMbps) * 1_000_000n * BigInt(Math.max(0, Math.ceil(elapsedSec)) + 2)) / 8n
}

export function peerDelta(state: PeerCounters, rx: bigint, tx: bigint, opts: { rebooted: boolean; maxBytes: bigint }): PeerDelta {
	// After a reboot the counters count from 0 again, whatever they were before.
	const base = opts.rebooted ? { rx: 0n, tx: 0n } : { rx: state.lastRx, tx: state.lastTx }
	const rules = { permille: 1000, jumpBytes: opts.maxBytes }
	const r = accountCounter({ lastCounter: base.rx, counterEpoch: 0 }, rx, rules)
	const t = accountCounter({ lastCounter: base.tx, counterEpoch: 0 }, tx, rules)
	const reset = opts.rebooted || r.reset || t.reset
	const held = r.held > 0n || t.held > 0n
	return {
		rx: held ? 0n : r.rawDelta,
		tx: held ? 0n : t.rawDelta,
		heldRx: held ? r.rawDelta : 0n,
		heldTx: held ? t.rawDelta : 0n,
		reset,
		// The counters advance even when held, so the same jump is not found again next poll.
		nextRx: rx < 0n ? state.lastRx : rx,
		nextTx: tx < 0n ? state.lastTx : tx,
		nextEpoch: reset ? state.counterEpoch + 1 : state.counterEpoch,
		moved: r.rawDelta > 0n || t.rawDelta > 0n,
	}
}

/** Online: a handshake within the threshold, or counters that moved since the last poll. */
export function isOnline(handshakeAgeMs: number | null, thresholdSec: number, moved: boolean) {
	return moved || (handshakeAgeMs !== null && handshakeAgeMs <= thresholdSec * 1000)
}
