// The demo's online gateways: the Zarinpal and NOWPayments simulators, and the hub configured to
// use them (sealed, like an admin would in /admin/gateways), re-pointed on every run in case the
// ports changed. A demo payer picks "Pay online" and pays on the simulator's page.
import { SIM_ZARINPAL_MERCHANT, startZarinpalSim } from '../../sim/zarinpal'
import { startNowPaymentsSim } from '../../sim/nowpayments'

export const GATEWAY_SIM_PORTS = { zarinpal: 7107, nowpayments: 7108 }
/** The demo's NOWPayments rate: Rial per USD. */
export const DEMO_RIAL_PER_USD = '1000000'

export async function startDemoGateways({ fixedPorts = true }: { fixedPorts?: boolean } = {}) {
	const { saveGatewaySettings } = await import('~/services/payments/gateway-settings.server')
	const zarinpal = await startZarinpalSim({ port: fixedPorts ? GATEWAY_SIM_PORTS.zarinpal : 0, sandbox: true })
	const nowpayments = await startNowPaymentsSim({ port: fixedPorts ? GATEWAY_SIM_PORTS.nowpayments : 0 })
	await saveGatewaySettings('zarinpal', { enabled: true, baseUrl: zarinpal.url, secrets: { merchantId: SIM_ZARINPAL_MERCHANT }, options: { currency: 'IRT' } }, null)
	await saveGatewaySettings(
		'nowpayments',
		{
			enabled: true,
			baseUrl: nowpayments.url,
			secrets: { apiKey: nowpayments.state.apiKey, ipnSecret: nowpayments.state.ipnSecret, ...nowpayments.state.login },
			options: { priceCurrency: 'usd', rialPerUnit: DEMO_RIAL_PER_USD },
		},
		null,
	)
	const summary = `Gateway simulators (pay at /pay/online):
	  zarinpal     ${zarinpal.url}   merchant ${SIM_ZARINPAL_MERCHANT} (Toman)
	  nowpayments  ${nowpayments.url}   x-api-key ${nowpayments.state.apiKey}, IPN secret ${nowpayments.state.ipnSecret}`
	return {
		summary,
		zarinpal,
		nowpayments,
		close: async () => {
			await Promise.allSettled([zarinpal.close(), nowpayments.close()])
		},
	}
}
