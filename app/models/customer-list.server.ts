// What the reseller customer list needs besides its rows (issue 16: a signed-in page's cost).
import { sql } from '~/utils/db.server'

type ListContext = { resellerId: number; nodes: Array<{ id: number; name: string }> }

/**
 * The signed-in reseller's id and the options of the list's node filter (his allocated live
 * nodes, id and name: what the page shows) in one statement. The list is loaded on every view,
 * and the profile row (26 columns) and the node options were two round trips, each a socket
 * write and a pool checkout (decision 035).
 * Null when the login has no reseller profile.
 */
export async function customerListContext(userId: number): Promise<ListContext | null> {
	const [row] = await sql.$queryRaw<ListContext[]>`
		select r.id as "resellerId",
			coalesce((select json_agg(json_build_object('id', a.node_id, 'name', n.name) order by a.node_id)
				from node_allocations a join nodes n on n.id = a.node_id
				where a.reseller_id = r.id and n.deleted_at is null), '[]') as nodes
		from resellers r where r.user_id = ${userId}`
	return row ?? null
}
