// Every panel failure becomes one of these codes, whatever the panel said and however.
export const PANEL_ERROR_CODES = [
	'unreachable', // DNS, refused, reset before a reply, proxy refused
	'timeout', // no reply in time: the panel may or may not have done the work
	'auth_failed', // bad credentials / key, also after one re-login
	'not_found',
	'conflict', // duplicate
	'rejected', // the panel refused the input (400/403/422 or WGDashboard status:false)
	'server_error', // 5xx
	'bad_response', // a reply we cannot understand (wrong kind for the URL, HTML, …)
] as const
export type PanelErrorCode = (typeof PANEL_ERROR_CODES)[number]

export class PanelError extends Error {
	constructor(
		readonly code: PanelErrorCode,
		/** The panel's own words, if any; safe to show to the admin (never credentials). */
		readonly reason?: string,
		readonly status?: number,
	) {
		super(reason ? `${code}: ${reason}` : code)
		this.name = 'PanelError'
	}
}

export function isPanelError(e: unknown, code?: PanelErrorCode): e is PanelError {
	return e instanceof PanelError && (code === undefined || e.code === code)
}
