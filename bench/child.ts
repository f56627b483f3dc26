import { spawn } from 'node:child_process'

/** Starts bench/child-server.ts in its own process; resolves with its URL and a stop(). */
export function startChild(mode: 'hub' | 'bare-sub', extraEnv: Record<string, string> = {}): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
	// BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when stopped (where the time goes).
	const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []
	const child = spawn(process.execPath, [...prof, '--import', 'tsx', 'bench/child-server.ts'], { env: { ...process.env, ...extraEnv, MODE: mode }, stdio: ['ignore', 'pipe', 'inherit'] })
	return new Promise((resolve, reject) => {
		let out = ''
		child.stdout.on('data', (d) => {
			out += d
			const m = /READY (\S+)/.exec(out)
			if (m) resolve({ url: m[1]!, pid: child.pid!, stop: () => new Promise((r) => (child.once('exit', () => r()), child.kill(prof.length ? 'SIGTERM' : 'SIGKILL'))) })
		})
		child.once('exit', (code) => reject(new Error(`${mode} server exited (${code}) before it was ready`)))
	})
}
