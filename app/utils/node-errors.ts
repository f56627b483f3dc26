import type { CheckResult } from '~/models/node.server'

/** A failed check as form errors: our translated message, then the panel's own words if any. */
export function checkErrors(check: Extract<CheckResult, { ok: false }>) {
	return [`nodes.errors.${check.code}`, ...(check.reason ? [check.reason] : [])]
}
