import type { LoaderFunctionArgs } from '@remix-run/node'
import { prisma } from '~/utils/db.server'

// Public (load balancers call it); reveals only ok/failing. The worker counts as alive when any
// worker process wrote a heartbeat in the last minute.
const HEARTBEAT_MAX_AGE_MS = 60_000

export async function loader(_: LoaderFunctionArgs) {
	try {
		const rows = await prisma.$queryRaw<{ age_ms: number | null }[]>`
			select (extract(epoch from (now() - max(beat_at))) * 1000)::float8 as age_ms from worker_heartbeats`
		const age = rows[0]?.age_ms
		const worker = age != null && age < HEARTBEAT_MAX_AGE_MS
		return Response.json({ db: 'ok', worker: worker ? 'ok' : 'stale' }, { status: worker ? 200 : 503, headers: { 'Cache-Control': 'no-store' } })
	} catch {
		return Response.json({ db: 'failing', worker: 'unknown' }, { status: 503, headers: { 'Cache-Control': 'no-store' } })
	}
}
