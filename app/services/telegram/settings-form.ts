// The bot settings form (/admin/telegram). Error messages are translation keys. A blank token or
// proxy keeps the stored one (neither is ever shown again); "proxyRemove" drops the proxy.
import { z } from 'zod'
import { optionalText } from '~/utils/validation'

const checkbox = z.preprocess((v) => v === 'on', z.boolean())
const url = (max: number) =>
	optionalText(max).refine((v) => !v || /^https?:\/\/[^\s/?#]+(:\d+)?(\/[^\s?#]*)?$/.test(v), { error: 'notify.admin.errors.url' })

export const TelegramSettingsFormSchema = z.object({
	intent: z.literal('save', { error: 'errors.badRequest' }),
	enabled: checkbox,
	// BotFather tokens look like 123456789:AA…(35 characters); anything else is refused before a call
	token: optionalText(120).refine((v) => !v || /^\d{3,15}:[A-Za-z0-9_-]{20,100}$/.test(v), { error: 'notify.admin.errors.tokenRejected' }),
	apiRoot: url(300).transform((v) => (v ? v.replace(/\/+$/, '') : null)),
	proxyUrl: url(500),
	proxyRemove: checkbox,
	sendBackups: checkbox,
})
export type TelegramSettingsForm = z.infer<typeof TelegramSettingsFormSchema>
