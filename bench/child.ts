import { spawn } from 'node:child_process'

/** Starts bench/child-server.ts in its own process; resolves with its URL and a stop(). */
export function startChild(mode: 'hub' | 'bare-sub'): Promise<{ url: string; stop(): Promise<void> }> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'bench/child-server.ts'], { env: { ...process.env, MODE: mode }, stdio: ['ignore', 'pipe', 'inherit'] })
	return new Promise((resolve, reject) => {
		let out = ''
		child.stdout.on('data', (d) => {
			out += d
			const m = /READY (\S+)/.exec(out)
			if (m) resolve({ url: m[1]!, stop: () => new Promise((r) => (child.once('exit', () => r()), child.kill('SIGKILL'))) })
		})
		child.once('exit', (code) => reject(new Error(`${mode} server exited (${code}) before it was ready`)))
	})
}
