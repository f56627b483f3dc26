// Typed failures of the usage services; routes turn the code into a translated message.
export type UsageErrorCode =
	| 'not_found'
	| 'hold_decided' // approved or rejected already: a second decision changes nothing

export class UsageError extends Error {
	constructor(readonly code: UsageErrorCode) {
		super(code)
		this.name = 'UsageError'
	}
}
