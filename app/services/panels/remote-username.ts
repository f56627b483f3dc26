// The username a customer gets on every panel. It must pass every panel's own validator, so it
// keeps to what all of them accept (checked upstream, see tests/panels/remote-username.test.ts):
// - Marzban v0.8.4 app/models/user.py USERNAME_REGEXP `^(?=\w{3,32}\b)[a-zA-Z0-9-_@.]+…$`, column
//   String(34) with a case-insensitive collation;
// - PasarGuard v5.2.1 app/models/validators.py UserValidator.validate_username: 3–128 of
//   `[a-zA-Z0-9-_@.]` and no two of `-_@.` in a row (`bob__g7` is a 422);
// - Marzneshin app/models/user.py USERNAME_REGEXP `^\w{3,32}$`, lower-cased on input;
// - WGDashboard peer names and RouterOS comments are free text.
// So: lower-case a–z, 0–9 and single underscores, never at either end, 3–32 characters.
// `_g<customerId>` ends every name: unique per customer (the id is read back from the last
// `_g`), and a pure function of its inputs, so a retried create asks for the same name.

/** Room for the name part: 32 minus `_g` and a 10-digit id. */
const SLUG_MAX = 20

export function remoteUsernameOf(customerId: number, username: string): string {
	if (!Number.isSafeInteger(customerId) || customerId < 0) throw new Error(`invalid customer id ${customerId}`)
	const slug = username
		.normalize('NFKD') // "José" → "jose" + a combining accent, which the next step drops
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '_')
		.replace(/^_+/, '')
		.slice(0, SLUG_MAX)
		.replace(/_+$/, '')
	// A name with no Latin letter or digit at all (Persian, emoji, symbols) still needs a readable part.
	return `${slug || 'user'}_g${customerId}`
}
