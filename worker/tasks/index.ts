// Every task, registered in one list. Task names are part of the crontab and of queued jobs:
// never rename one.
import type { TaskList } from 'graphile-worker'
import { backup_database } from './backup_database'
import { cleanup_sessions } from './cleanup_sessions'
import { enforce_policies } from './enforce_policies'
import { reconcile_customer } from './reconcile_customer'
import { sync_all_nodes } from './sync_all_nodes'
import { sync_node_usage } from './sync_node_usage'

export const taskList: TaskList = {
	backup_database,
	cleanup_sessions,
	reconcile_customer,
	sync_all_nodes,
	sync_node_usage,
	enforce_policies,
}
