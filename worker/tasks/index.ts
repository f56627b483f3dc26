// Every task, registered in one list. Task names are part of the crontab and of queued jobs:
// never rename one.
import type { TaskList } from 'graphile-worker'
import { cleanup_sessions } from './cleanup_sessions'
import { reconcile_customer } from './reconcile_customer'

export const taskList: TaskList = {
	cleanup_sessions,
	reconcile_customer,
}
