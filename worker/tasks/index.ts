// Every task, registered in one list. Task names are part of the crontab and of queued jobs:
// never rename one.
import type { TaskList } from 'graphile-worker'
import { apply_plan_changes } from './apply_plan_changes'
import { backup_database } from './backup_database'
import { cleanup_sessions } from './cleanup_sessions'
import { compact_customer_counts } from './compact_customer_counts'
import { enforce_policies } from './enforce_policies'
import { expire_payments } from './expire_payments'
import { expire_invoices } from './expire_invoices'
import { reconcile_customer } from './reconcile_customer'
import { router_cleanup } from './router-cleanup'
import { router_enforce } from './router-enforce'
import { router_poll } from './router-poll'
import { router_poll_all } from './router-poll-all'
import { reconcile_gateway_payments } from './reconcile_gateway_payments'
import { report_export } from './report_export'
import { retention_cleanup } from './retention_cleanup'
import { sync_all_nodes } from './sync_all_nodes'
import { sync_node_usage } from './sync_node_usage'
import { telegram_fanout } from './telegram_fanout'
import { telegram_poll } from './telegram_poll'
import { telegram_send } from './telegram_send'

export const taskList: TaskList = {
	backup_database,
	cleanup_sessions,
	compact_customer_counts,
	reconcile_customer,
	sync_all_nodes,
	sync_node_usage,
	enforce_policies,
	expire_payments,
	expire_invoices,
	apply_plan_changes,
	reconcile_gateway_payments,
	router_poll_all,
	router_poll,
	router_enforce,
	router_cleanup,
	report_export,
	retention_cleanup,
	telegram_fanout,
	telegram_send,
	telegram_poll,
}
