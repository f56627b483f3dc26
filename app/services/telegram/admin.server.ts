// Saving the bot settings: like a node, the connection is tested before anything is saved — a
// getMe with the token, Bot API address and proxy as they will be used — so a wrong token or an
// unreachable API gives a translated message and saves nothing. getMe also names the bot for the
// t.me links.
import { GrammyError } from 'grammy'
import { botApi } from './client.server'
import type { TelegramSettingsForm } from './settings-form'
import { getTelegramSettings, saveTelegramSettings } from './settings.server'

export async function checkAndSaveTelegram(v: TelegramSettingsForm, actorId: number, ip: string | null): Promise<{ ok: true } | { ok: false; error: string; field?: 'token' }> {
	const current = await getTelegramSettings()
	const token = v.token || current.token
	const proxyUrl = v.proxyRemove ? null : v.proxyUrl || current.proxyUrl
	if (v.enabled && !token) return { ok: false, error: 'notify.admin.errors.tokenRequired', field: 'token' }
	let botUsername = current.botUsername
	if (token && (v.enabled || v.token)) {
		try {
			botUsername = (await botApi({ token, apiRoot: v.apiRoot, proxyUrl }, 10).getMe()).username
		} catch (e) {
			// 401 Unauthorized / 404 Not Found: what the Bot API answers a wrong token
			if (e instanceof GrammyError && (e.error_code === 401 || e.error_code === 404)) return { ok: false, error: 'notify.admin.errors.tokenRejected', field: 'token' }
			return { ok: false, error: 'notify.admin.errors.unreachable' }
		}
	}
	await saveTelegramSettings(
		{ enabled: v.enabled, token: v.token || undefined, proxyUrl: v.proxyRemove ? '' : v.proxyUrl || undefined, apiRoot: v.apiRoot, botUsername, sendBackups: v.sendBackups },
		actorId,
		ip,
	)
	return { ok: true }
}
