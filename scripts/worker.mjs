// `npm run worker`: a worker-only process (worker/index.ts). In production it runs the prebuilt
// bundle that `npm run build` writes (scripts/build-worker.mjs) — ~55 MiB less resident memory
// than compiling through tsx, decision 033. Without the bundle (`npm test` builds Remix only), or
// outside production, where the sources change under a bundle built earlier, it compiles the
// TypeScript through tsx as before.
// Plain JavaScript on purpose: deciding not to load tsx needs a file that runs without it.
import { existsSync } from 'node:fs'

const bundle = new URL('../build/worker/index.js', import.meta.url)
if (process.env.NODE_ENV === 'production' && existsSync(bundle)) {
	await import(bundle.href)
} else {
	const { register } = await import('tsx/esm/api')
	register()
	await import('../worker/index.ts')
}
