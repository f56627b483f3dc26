// The panels' last-online times, stored per sub-account for the reseller's online dot (issue 15).
// Not money and not usage: written outside the counters' transaction, in one statement per
// batch, and only for rows whose time moved — an idle customer costs no row write per round.
import { sql } from '~/utils/db.server'

const SQL = `
update sub_accounts s set online_at = v.at
from (select id, to_timestamp(ms / 1000.0) as at from unnest(string_to_array($2, ',')::int[], string_to_array($3, ',')::bigint[]) as u(id, ms)) v
where s.id = v.id and s.node_id = $1 and (s.online_at is null or s.online_at < v.at)`

/** Takes the readings out of `pending` (sub-account id → the panel's last-online time). */
export async function writeOnlineTimes(nodeId: number, pending: Map<number, Date>) {
	if (!pending.size) return 0
	const entries = [...pending]
	pending.clear()
	return sql.executeText(SQL, [nodeId, entries.map(([id]) => id).join(','), entries.map(([, at]) => at.getTime()).join(',')])
}
