// CPU time a process tree has used (Linux /proc: utime + stime of each process and its
// descendants). On a machine that other work loads, latencies say little, but the CPU one
// operation costs the server barely moves: the burst case reports it beside the latencies.
import { readFileSync } from 'node:fs'

const TICK_MS = 10 // USER_HZ is 100 on Linux

function children(pid: number): number[] {
	try {
		return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number)
	} catch {
		return []
	}
}

/**
 * ms of CPU used so far by `pid` and every descendant, live or exited; null where /proc is absent.
 * An exited child's CPU is in its parent's cutime/cstime once reaped: without them a short-lived
 * process (an autovacuum worker, a parallel query worker) that ran and exited between two
 * snapshots was not counted at all.
 */
export function treeCpuMs(pid: number): number | null {
	try {
		// Fields after the ")" of the command name: utime, stime, cutime, cstime are the 12th–15th (proc(5)).
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
		const own = (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * TICK_MS
		return children(pid).reduce<number>((sum, c) => sum + (treeCpuMs(c) ?? 0), own)
	} catch {
		return null
	}
}

/** The postmaster's pid from a data directory (its backends are its children). */
export function postmasterPid(dataDir: string): number | null {
	try {
		return Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0])
	} catch {
		return null
	}
}

/** A Postgres process's role from its title ("postgres: checkpointer", "postgres: autovacuum worker …"). */
function postgresRole(pid: number) {
	try {
		const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()
		const m = /^postgres: (checkpointer|background writer|walwriter|autovacuum launcher|autovacuum worker|logical replication launcher|io worker|walsummarizer)/.exec(title)
		return m ? m[1]! : 'backends'
	} catch {
		return null
	}
}

/**
 * ms of CPU of a postmaster's tree by role: its live children by process title (backends,
 * checkpointer, walwriter, autovacuum workers, …) and `exited`, the reaped children (short-lived
 * autovacuum workers above all) together with the postmaster itself. Diagnosis for the scale
 * bench: where a round's Postgres CPU goes beyond the statements.
 */
export function postgresCpuByRole(postmaster: number): Record<string, number> {
	const out: Record<string, number> = {}
	const add = (k: string, ms: number) => (out[k] = (out[k] ?? 0) + ms)
	try {
		const stat = readFileSync(`/proc/${postmaster}/stat`, 'utf8')
		const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
		add('exited', (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * TICK_MS)
	} catch {
		return out
	}
	for (const c of children(postmaster)) {
		const role = postgresRole(c)
		const ms = treeCpuMs(c)
		if (role && ms != null) add(role, ms)
	}
	return out
}
