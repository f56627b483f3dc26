// Run statistics for the jobs console: wrap a task body, record duration, items, failures.
import { prisma } from '~/utils/db.server'

export interface RunStats {
	items: number
	failures: number
}

export async function recordRun<T extends RunStats>(task: string, nodeId: number | null, body: () => Promise<T>): Promise<T> {
	const startedAt = new Date()
	const run = await prisma.taskRun.create({ data: { task, nodeId, startedAt } })
	try {
		const stats = await body()
		await prisma.taskRun.update({ where: { id: run.id }, data: { finishedAt: new Date(), durationMs: Date.now() - startedAt.getTime(), items: stats.items, failures: stats.failures } })
		return stats
	} catch (e) {
		await prisma.taskRun.update({ where: { id: run.id }, data: { finishedAt: new Date(), durationMs: Date.now() - startedAt.getTime(), failures: 1, error: (e as Error).message.slice(0, 1000) } })
		throw e
	}
}
