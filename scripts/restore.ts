// `npm run restore -- FILE [--no-switch]`: restores a backup into a new database, verifies it
// (rows, digests, wallets against the ledger), upgrades its schema, then switches the app's
// database to it (the old one is kept, renamed). Stop the app and the worker first.
// BACKUP_PASSPHRASE decrypts an encrypted backup.
import { useDatabase } from './lib/database'
import { restoreBackup } from './lib/restore'

const args = process.argv.slice(2)
const file = args.find((a) => !a.startsWith('-'))
if (!file) {
	console.error('usage: npm run restore -- FILE [--no-switch]')
	process.exit(2)
}
const db = await useDatabase()
try {
	const r = await restoreBackup({ url: db.url, file, passphrase: process.env.BACKUP_PASSPHRASE || undefined, switchOver: !args.includes('--no-switch'), log: (m) => console.log(m) })
	console.log(r.previous ? `restored into ${r.restored}; the previous database is kept as ${r.previous}` : `restored and verified into ${r.restored} (not switched)`)
} catch (e) {
	console.error(`restore failed: ${(e as Error).message}`)
	process.exitCode = 1
} finally {
	await db.stop()
}
