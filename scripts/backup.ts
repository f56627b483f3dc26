// `npm run backup [-- FILE]`: a snapshot of the database now (BACKUP_PASSPHRASE encrypts it).
// Without FILE it is recorded in /admin/backups like a manual backup from there.
import { useDatabase } from './lib/database'

const db = await useDatabase()
try {
	const file = process.argv.slice(2).find((a) => !a.startsWith('-'))
	if (file) {
		const { dumpDatabase } = await import('~/services/backup/snapshot.server')
		const r = await dumpDatabase(db.url, file, { passphrase: process.env.BACKUP_PASSPHRASE || undefined })
		console.log(`${file}: ${r.bytes} bytes, sha256 ${r.sha256}, ${Object.values(r.tables).reduce((a, b) => a + b, 0)} rows in ${Math.round(r.ms)} ms`)
	} else {
		const { runBackup } = await import('~/services/backup/backups.server')
		const b = await runBackup('manual')
		console.log(b.status === 'succeeded' ? `${b.file}: ${b.bytes} bytes, sha256 ${b.sha256}` : `backup failed: ${b.error}`)
		if (b.status !== 'succeeded') process.exitCode = 1
	}
} finally {
	const { prisma } = await import('~/utils/db.server')
	await prisma.$disconnect()
	await db.stop()
}
