// npm run rotate-key: re-seals every node's secrets under MASTER_KEY. Run it with the new key in
// MASTER_KEY and the old one in MASTER_KEY_PREVIOUS; afterwards MASTER_KEY_PREVIOUS can go.
const { useDatabase } = await import('./lib/database')
const db = await useDatabase()
const { rotateSecrets } = await import('~/services/key-rotation.server')
const { rotated, total } = await rotateSecrets()
console.log(`Re-sealed ${rotated} of ${total} node secrets under the current MASTER_KEY.`)
const { prisma } = await import('~/utils/db.server')
await prisma.$disconnect()
await db.stop()
export {}
