import type { Lang } from '~/utils/i18n'
import { timeAgo } from '~/utils/presence'

/** "5 minutes ago", or the given word when it never happened. */
export function timeAgoOrNever(lang: Lang, at: Date | string | null, now: Date | string, never: string) {
	return at ? timeAgo(lang, at, now) : never
}
