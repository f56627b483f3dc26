// Panel simulators for the demo. Filled in by the panel-adapter work (issue 3).
import type { PrismaClient } from '~/generated/prisma/client'

export async function startDemoSimulators(_prisma: PrismaClient, _opts: { fixedPorts?: boolean } = {}) {
	return { summary: 'Panel simulators: none yet.', stop: async () => {} }
}
