// Our ownership marker on a panel account (issue 8 §2.6): AccountSpec.note is `guardino:<customerId>`
// and every adapter reads it back from the panel's free-text field. Only an exact marker counts: a
// note an admin wrote by hand that merely mentions us is not a claim to the account.
const OWNER_TAG = /(?:^|\s)(guardino:\d+)(?=\s|$)/

export function ownerTagOf(text: unknown): string | null {
	if (typeof text !== 'string') return null
	return OWNER_TAG.exec(text)?.[1] ?? null
}
