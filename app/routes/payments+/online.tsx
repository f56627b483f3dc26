// /pay/online — a reseller (IRR wallet) or an end user tops up his wallet through an online
// gateway: choose the provider and the amount in Rial, then the browser goes to the gateway.
// Other pages link here (`?amount=` prefills the amount; `?invoice=<id>` pays an end user's open
// store invoice at its total instead).
import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ChoiceGroup } from '~/components/billing-fields'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorList, Field } from '~/components/forms'
import { Button } from '~/components/ui/button'
import { Card } from '~/components/ui/card'
import { invoiceIdField, ONLINE_MAX_RIAL, ONLINE_MIN_RIAL, startSchema } from '~/models/gateway-form'
import { usableProviders } from '~/services/payments/gateway-settings.server'
import { GatewayStartError, payableInvoice, startGatewayPayment, walletOfPayer } from '~/services/payments/gateway-start.server'
import { getStoreSettings } from '~/services/settings.server'
import { AREA_OF, requireUser, type SessionUser } from '~/utils/auth.server'
import { publicUrl } from '~/utils/env.server'
import { readForm } from '~/utils/form-data.server'
import { formatMoney } from '~/utils/money'
import { getLang, getT } from '~/utils/i18n.server'

const schema = startSchema(ONLINE_MIN_RIAL, ONLINE_MAX_RIAL)

const payer = (request: Request) => requireUser(request, ['reseller', 'customer'])

/** Why this payer cannot pay online at all (a reseller whose wallet is not in Rial), or null. */
async function refusalOf(user: SessionUser) {
	try {
		await walletOfPayer(user)
		return null
	} catch (e) {
		if (e instanceof GatewayStartError) return `gateways.errors.${e.code}`
		throw e
	}
}

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await payer(request)
	const lang = await getLang(request)
	const query = new URL(request.url).searchParams
	const amount = (query.get('amount') ?? '').replace(/[^\d۰-۹٠-٩]/g, '').slice(0, 15)
	const asked = invoiceIdField.safeParse(query.get('invoice') ?? '')
	const invoice = asked.success ? await payableInvoice(user, asked.data) : null
	if (query.has('invoice') && !invoice) throw new Response((await getT(request))('gateways.errors.invoice_unpayable'), { status: 404 })
	// An invoice's total reads as on every other invoice screen (the store's Toman/Rial setting);
	// the top-up range stays in Rial because the amount field is typed in Rial.
	const display = invoice ? (await getStoreSettings()).displayCurrency : undefined
	return {
		invoice: invoice ? { id: String(invoice.id), number: invoice.number, total: formatMoney(lang, invoice.total, 'IRR', display) } : null,
		providers: await usableProviders(),
		refusal: await refusalOf(user),
		home: AREA_OF[user.role],
		amount,
		range: { min: formatMoney(lang, ONLINE_MIN_RIAL, 'IRR'), max: formatMoney(lang, ONLINE_MAX_RIAL, 'IRR') },
	}
}

export async function action({ request }: ActionFunctionArgs) {
	const user = await payer(request)
	const submission = parseWithZod(await readForm(request), { schema })
	if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
	const t = await getT(request)
	const v = submission.value
	try {
		const { redirectUrl } = await startGatewayPayment({
			payer: user,
			provider: v.provider,
			amountRial: v.amount ?? 0n,
			invoiceId: v.invoice,
			origin: publicUrl(request),
			description: t('gateways.description', { username: user.username }),
		})
		return redirect(redirectUrl)
	} catch (e) {
		if (!(e instanceof GatewayStartError)) throw e
		// The gateway refused or did not answer: the payment row is closed as failed, the payer may retry.
		const status = e.code === 'gateway_failed' ? 502 : e.code === 'unavailable' || e.code === 'invoice_unpayable' ? 409 : e.code === 'not_whole_toman' ? 400 : 403
		return data({ result: submission.reply({ formErrors: [`gateways.errors.${e.code}`] }) }, { status })
	}
}

export default function PayOnline() {
	const { providers, refusal, home, amount, range, invoice } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const { t } = useTranslation()
	const [form, fields] = useForm({
		id: 'pay-online',
		lastResult: actionData?.result,
		defaultValue: { provider: providers[0], amount },
		shouldRevalidate: 'onBlur',
		onValidate: ({ formData }) => parseWithZod(formData, { schema }),
	})
	return (
		<main className="flex min-h-dvh items-center justify-center p-4">
			<Card className="w-full max-w-sm p-6">
				<h1 className="mb-2 text-lg font-semibold">{t('gateways.start.title')}</h1>
				{refusal || providers.length === 0 ? (
					<p className="text-sm text-gray-600 dark:text-gray-400">{t(refusal ?? 'gateways.errors.unavailable')}</p>
				) : (
					<Form method="post" className="space-y-4" {...getFormProps(form)}>
						<p className="text-sm text-gray-600 dark:text-gray-400">{t('gateways.start.intro')}</p>
						<ChoiceGroup legend={t('gateways.start.provider')} meta={fields.provider} type="radio" options={providers.map((p) => ({ value: p, label: t(`gateways.providers.${p}`) }))} />
						{invoice ? (
							<>
								<input type="hidden" name="invoice" value={invoice.id} />
								<p className="text-sm" data-testid="invoice-total">{t('gateways.start.invoice', { number: invoice.number ?? invoice.id, total: invoice.total })}</p>
							</>
						) : (
							<Field
								label={t('gateways.start.amount')}
								hint={t('gateways.start.range', range)}
								errors={fields.amount.errors}
								inputProps={{ ...getInputProps(fields.amount, { type: 'text' }), inputMode: 'numeric', dir: 'ltr', autoComplete: 'off' }}
							/>
						)}
						<ErrorList id={form.errorId} errors={form.errors} />
						<Button type="submit" className="w-full" pending={navigation.state === 'submitting'}>{t('gateways.start.submit')}</Button>
					</Form>
				)}
				<Link to={invoice ? `/account/invoices/${invoice.id}` : home} className="mt-4 block text-center text-sm text-gray-500 hover:underline">{t('errors.back')}</Link>
			</Card>
		</main>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
