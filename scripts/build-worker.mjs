// `npm run build`'s second half: the worker as one prebuilt ES module, build/worker/index.js, which
// `npm run worker` (scripts/worker.mjs) runs in production instead of compiling TypeScript through
// tsx at start. tsx keeps its loader (a module-hooks thread with its own V8 heap) and every
// transformed source alive for the life of the process: ~55 MiB of a worker's ~210 MiB at idle
// (decision 033). Only our own code is bundled; packages stay imports resolved from node_modules,
// so native and WASM parts (Prisma's query compiler, pg) load exactly as under tsx.
// Plain JavaScript on purpose: it runs with `node`, before anything can compile TypeScript.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs'
import { build } from 'esbuild'

const outdir = 'build/worker'
rmSync(outdir, { recursive: true, force: true }) // no chunks left over from an earlier build
mkdirSync(outdir, { recursive: true })
await build({
	entryPoints: ['worker/index.ts'],
	outdir,
	bundle: true,
	// A task's `await import()` stays lazy (its packages load on its first run, not at start):
	// without splitting, esbuild inlines the module and hoists its package imports to the top.
	splitting: true,
	chunkNames: 'chunks/[name]-[hash]',
	platform: 'node',
	format: 'esm',
	target: 'node20',
	sourcemap: true, // stack traces in job errors point at worker/… and app/… lines
	logLevel: 'warning',
	plugins: [
		{
			// Bare specifiers are packages (or node: builtins): left to Node's resolution at run
			// time. `~/…` is our tsconfig path alias, resolved and bundled by esbuild.
			name: 'packages-stay-external',
			setup(b) {
				b.onResolve({ filter: /^[^./~]/ }, (args) => ({ path: args.path, external: true }))
			},
		},
	],
})
// worker/runner.ts reads the crontab beside its own module.
copyFileSync('worker/crontab', `${outdir}/crontab`)
console.log(`worker bundle: ${outdir}/index.js`)
