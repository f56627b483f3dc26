// A reseller's or user's ledger rows are the wallet legs of double-entry transactions; the
// database's CHECK (ledger_entries_wallet_leg_check) guarantees they carry balance before/after.
// Narrowing here keeps pages from having to handle a null that cannot occur.
export function asWalletLeg<T extends { balanceBefore?: bigint | null; balanceAfter?: bigint | null }>(row: T) {
	if (('balanceBefore' in row && row.balanceBefore == null) || ('balanceAfter' in row && row.balanceAfter == null)) throw new Error('a wallet ledger row without its balance')
	return row as T & { balanceBefore: bigint; balanceAfter: bigint }
}
