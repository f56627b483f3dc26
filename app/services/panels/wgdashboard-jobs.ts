// WGDashboard schedule-job facts the adapter needs beyond the peer list (panel-contracts.md §5).
// A job that fires is closed (PeerJobs.runJob → deleteJob sets ExpireDate) and drops out of the
// peer's `jobs`, so after the panel enforces a limit the peer reads back with no limit at all.
// Only the job log (getPeerScheduleJobLogs, PeerJobLogger) remembers it: saveJob logs
// "Job is created if <Field> <Operator> <Value> then <Action>" (or "…; to if … then …" on an
// update) and runJob logs "Peer <id> from <config> is successfully <Action>ed." when it fires.
// Date jobs hold the panel host's naive local time: runJob compares datetime.now() with
// strptime(Value), so the adapter writes and reads them in the node's configured time zone.

export interface WgdJobLog {
	LogID: string
	JobID: string
	LogDate: string
	Status: string | boolean | number
	Message: string
}

export interface FiredJob {
	jobId: string
	peer: string
	field: string
	operator: string
	value: string
	action: string
}

const DEFINED = /(?:^Job is created if |; to if )(\S+) (\S+) (.+) then (\S+)$/
const FIRED = /^Peer (\S+) from .+ is successfully (\S+)ed\.$/

/** Fired jobs per peer public key, oldest first, with the definition each had when it fired. */
export function firedJobsByPeer(logs: readonly WgdJobLog[]): Map<string, FiredJob[]> {
	const defined = new Map<string, Omit<FiredJob, 'peer'>>()
	const out = new Map<string, FiredJob[]>()
	for (const log of logs) {
		if (typeof log?.Message !== 'string' || typeof log.JobID !== 'string') continue
		const def = DEFINED.exec(log.Message)
		if (def) {
			defined.set(log.JobID, { jobId: log.JobID, field: def[1], operator: def[2], value: def[3], action: def[4] })
			continue
		}
		const fired = FIRED.exec(log.Message)
		const job = fired && defined.get(log.JobID)
		if (!fired || !job || job.action !== fired[2]) continue
		const list = out.get(fired[1]) ?? []
		list.push({ ...job, peer: fired[1] })
		out.set(fired[1], list)
	}
	return out
}

/** A valid IANA zone name (what Intl accepts), e.g. 'Asia/Tehran'. */
export function isTimeZone(name: string) {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: name })
		return name.length > 0
	} catch {
		return false
	}
}

/** The wall-clock fields of `ms` in `timeZone`, read as if UTC (how Python orders naive datetimes). */
function wallClockMs(ms: number, timeZone: string) {
	const f = Object.fromEntries(
		new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
			.formatToParts(new Date(ms))
			.map((p) => [p.type, Number(p.value)]),
	)
	return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second)
}

/** "YYYY-MM-DD HH:MM:SS" as the panel's clock in `timeZone` shows the instant `d`. */
export function formatPanelTime(d: Date, timeZone: string) {
	return new Date(wallClockMs(Math.floor(d.getTime() / 1000) * 1000, timeZone)).toISOString().slice(0, 19).replace('T', ' ')
}

/** The inverse: the instant at which the panel's clock in `timeZone` reads `text`; null if unreadable. */
export function parsePanelTime(text: string, timeZone: string): Date | null {
	const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text ?? '')
	if (!m) return null
	const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])
	// Offset at a first guess, then again at the result, so a DST change in between is honoured.
	let at = wall - (wallClockMs(wall, timeZone) - wall)
	at = wall - (wallClockMs(at, timeZone) - at)
	return new Date(at)
}
