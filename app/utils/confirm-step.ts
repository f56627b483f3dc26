// The no-JavaScript confirmation step of destructive actions (issue 15). Without JavaScript a
// ConfirmButton submits its form by GET to /confirm (the button's formaction/formmethod), which
// shows the question and a POST form that replays the same fields to the original action. With
// JavaScript the dialog asks instead. Nothing here is a security boundary: every action still
// authorises itself; this only stops a destructive action going through on one tap.

export const CONFIRM_PATH = '/confirm'
/** The action the replayed form posts to, and which question to ask. */
export const CONFIRM_TO = '_confirm_to'
export const CONFIRM_KIND = '_confirm_kind'
/**
 * Which question, per button: one form may hold several ConfirmButtons (disable and delete), and
 * only the pressed button's name=value is submitted, so each button's kind is keyed by it:
 * `_confirm_kind.<name>.<value>` = kind. A lone `_confirm_kind` is the fallback.
 */
export const kindField = (name: string, value: string) => `${CONFIRM_KIND}.${name}.${value}`

/** The questions the step knows; anything else gets the generic "Are you sure?". */
export const CONFIRM_KINDS = ['delete_customer', 'refund', 'rotate_link', 'disable_customer', 'delete_node', 'discard_job'] as const
export type ConfirmKind = (typeof CONFIRM_KINDS)[number]

export function isConfirmKind(v: unknown): v is ConfirmKind {
	return typeof v === 'string' && (CONFIRM_KINDS as readonly string[]).includes(v)
}

/** Bounds on what a confirmation URL may carry: a real form has a handful of short fields. */
export const MAX_FIELDS = 60
export const MAX_VALUE = 2000
