// The load generator in a process of its own (issue 16: measured "with a load generator in its own
// process"), so its own CPU never shares an event loop with the server it measures. Runs
// bench/load.ts against LOAD_URL (headers from LOAD_HEADERS, JSON) and prints "RESULT <json>".
import { spawn } from 'node:child_process'
import { load, type LoadResult } from '../load'

if (process.argv[1]?.endsWith('scale-loadgen.ts')) {
	const headers = JSON.parse(process.env.LOAD_HEADERS || '{}') as Record<string, string>
	const r = await load(process.env.LOAD_URL!, { connections: Number(process.env.LOAD_CONNECTIONS || 16), durationMs: Number(process.env.LOAD_MS || 5000), headers })
	console.log(`RESULT ${JSON.stringify(r)}`)
	process.exit(0)
}

/** Runs one load in a child process and returns its result. */
export function loadFromChild(url: string, opts: { headers?: Record<string, string>; connections?: number; durationMs?: number } = {}): Promise<LoadResult> {
	const env = { ...process.env, LOAD_URL: url, LOAD_HEADERS: JSON.stringify(opts.headers ?? {}), LOAD_CONNECTIONS: String(opts.connections ?? 16), LOAD_MS: String(opts.durationMs ?? 5000) }
	const child = spawn(process.execPath, ['--import', 'tsx', 'bench/cases/scale-loadgen.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'] })
	return new Promise((resolve, reject) => {
		let out = ''
		child.stdout.on('data', (d) => (out += d))
		child.once('exit', (code) => {
			const m = /RESULT (\{.*\})/.exec(out)
			if (m) resolve(JSON.parse(m[1]!) as LoadResult)
			else reject(new Error(`load generator exited (${code}) without a result`))
		})
	})
}
