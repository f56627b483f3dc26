import type { Task } from 'graphile-worker'

// Filled in by the automation work (issue 5).
export const enforce_policies: Task = async () => {}
