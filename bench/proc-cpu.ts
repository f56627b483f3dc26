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

/** ms of CPU used so far by `pid` and every live descendant; null where /proc is absent. */
export function treeCpuMs(pid: number): number | null {
	try {
		// Fields after the ")" of the command name: utime is the 12th, stime the 13th (proc(5)).
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
		const own = (Number(fields[11]) + Number(fields[12])) * TICK_MS
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
