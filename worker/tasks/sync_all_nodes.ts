import type { Task } from 'graphile-worker'

// Filled in by the automation work (issue 5).
export const sync_all_nodes: Task = async () => {}
