// `npm run sim`: every panel simulator on its fixed port with a few demo accounts, for local
// development, the demo and the bench. `--seed=N` adds N bulk accounts to each panel.
// Drive them from outside with POST <url>/__sim/<action> (see sim/base.ts SimControl).
import { startAllSims } from './start-all'

const bulk = Number(process.argv.find((a) => a.startsWith('--seed='))?.slice('--seed='.length) ?? 0)
const sims = await startAllSims({ fixedPorts: true, bulk })
console.log(`${sims.summary}\n(Ctrl-C to stop)`)

async function shutdown() {
	await sims.close()
	process.exit(0)
}
process.once('SIGINT', () => void shutdown())
process.once('SIGTERM', () => void shutdown())
