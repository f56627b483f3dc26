// The demo's Telegram: the fake Bot API (sim/telegram-bot-api.ts) on a fixed port and the hub's
// bot pointed at it, unless the admin saved a real bot (a token for another Bot API address).
// To link in the demo: "Link Telegram" on a notifications page, then play the user:
//   curl -X POST localhost:7111/__sim/userSends -d '{"user":{"id":1001},"text":"/start <code>"}'
// and read what the bot sent with POST localhost:7111/__sim/sent.
import { startTelegramSim } from '../../sim/telegram-bot-api'

export const TELEGRAM_SIM_PORT = 7111

export async function startDemoTelegram({ fixedPorts = true }: { fixedPorts?: boolean } = {}) {
	const { getTelegramSettings, saveTelegramSettings } = await import('~/services/telegram/settings.server')
	const sim = await startTelegramSim({ port: fixedPorts ? TELEGRAM_SIM_PORT : 0, botUsername: 'guardino_demo_bot' })
	const current = await getTelegramSettings()
	const ours = !current.token || (current.apiRoot ?? '').startsWith('http://127.0.0.1:')
	if (ours) await saveTelegramSettings({ enabled: true, token: sim.token, apiRoot: sim.url, botUsername: sim.botUsername, sendBackups: true, pollTimeoutSec: 5 }, null)
	return {
		summary: `Telegram Bot API simulator ${sim.url} (bot @${sim.botUsername}${ours ? '' : ', not used: a real bot is configured'})`,
		close: () => sim.close(),
	}
}
