// Enforcement (rules 2, 8, 9, 10): decides each customer's desired status from expiry, quota,
// the reseller's pool / window and negative credit, records auto_disabled / auto_enabled events,
// and enqueues the panel work. Manual disables are never touched.
//
// INTERFACE (called by the usage sync right after it wrote new usage, so an over-quota customer is
// disabled within seconds, not at the next periodic pass):
//   evaluateCustomers(customerIds) → { disabled: number, enabled: number }
export async function evaluateCustomers(_customerIds: number[]): Promise<{ disabled: number; enabled: number }> {
	return { disabled: 0, enabled: 0 }
}
