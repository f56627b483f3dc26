import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { FormSection } from '~/components/billing-fields'
import { ErrorList, Field } from '~/components/forms'
import { PageHeader } from '~/components/shell'
import { TelegramCard } from '~/components/telegram-card'
import { Button } from '~/components/ui/button'
import { ProfileSchema } from '~/models/end-user-form'
import { profileOf, saveProfile } from '~/models/end-user.server'
import { isTelegramIntent, telegramAction, telegramCard } from '~/services/telegram/profile.server'
import { requireCustomer } from '~/utils/auth.server'
import { readForm } from '~/utils/form-data.server'
import { redirectWithToast } from '~/utils/toast.server'

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireCustomer(request)
	const [p, telegram] = await Promise.all([profileOf(user.id), telegramCard(user.id, 'user')])
	return { telegram, username: p.username, defaults: { displayName: p.displayName ?? '', phone: p.phone ?? '', email: p.email ?? '', billingName: p.billingName ?? '', billingAddress: p.billingAddress ?? '' } }
}

export async function action({ request }: ActionFunctionArgs) {
	const user = await requireCustomer(request)
	const form = await readForm(request)
	// the Telegram card's forms (link code, unlink, event choices): his own services and receipts
	if (isTelegramIntent(form)) return telegramAction(form, user.id, 'user', '/account/profile')
	const submission = parseWithZod(form, { schema: ProfileSchema })
	if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
	const saved = await saveProfile(user.id, submission.value)
	if (!saved.ok) return data({ result: submission.reply({ fieldErrors: saved.fieldErrors }) }, { status: 400 })
	return redirectWithToast('/account/profile', { type: 'success', key: 'profile.saved' })
}

export default function ProfilePage() {
	const { username, defaults, telegram } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const { t } = useTranslation()
	const [form, fields] = useForm({
		id: 'profile',
		lastResult: actionData && 'result' in actionData ? actionData.result : undefined,
		defaultValue: defaults,
		shouldRevalidate: 'onBlur',
		onValidate: ({ formData }) => parseWithZod(formData, { schema: ProfileSchema }),
	})
	return (
		<div className="mx-auto max-w-xl">
			<PageHeader title={t('profile.title')} />
			<Form method="post" className="space-y-4" {...getFormProps(form)}>
				<input type="hidden" name="intent" value="save" />
				<FormSection title={t('profile.contact')}>
					<p className="text-sm text-gray-600 dark:text-gray-400">{t('login.username')}: <span dir="ltr" className="font-medium">{username}</span></p>
					<Field label={t('profile.displayName')} errors={fields.displayName.errors} inputProps={getInputProps(fields.displayName, { type: 'text' })} />
					<Field label={t('register.phone')} hint={t('register.phoneHint')} errors={fields.phone.errors} inputProps={{ ...getInputProps(fields.phone, { type: 'tel' }), autoComplete: 'tel', inputMode: 'tel', dir: 'ltr' }} />
					<Field label={t('register.email')} errors={fields.email.errors} inputProps={{ ...getInputProps(fields.email, { type: 'email' }), autoComplete: 'email', dir: 'ltr' }} />
				</FormSection>
				<FormSection title={t('profile.billing')}>
					<p className="text-xs text-gray-500">{t('profile.billingHint')}</p>
					<Field label={t('profile.billingName')} errors={fields.billingName.errors} inputProps={{ ...getInputProps(fields.billingName, { type: 'text' }), autoComplete: 'name' }} />
					<Field label={t('profile.billingAddress')} errors={fields.billingAddress.errors} inputProps={{ ...getInputProps(fields.billingAddress, { type: 'text' }), autoComplete: 'street-address' }} />
				</FormSection>
				<ErrorList id={form.errorId} errors={form.errors} />
				<div className="flex flex-wrap items-center gap-3">
					<Button type="submit" pending={navigation.state === 'submitting'}>{t('profile.save')}</Button>
					<Link to="/password" className="text-sm text-accent hover:underline">{t('profile.changePassword')}</Link>
				</div>
			</Form>
			<div className="mt-6">
				<TelegramCard card={telegram} issued={actionData && 'telegram' in actionData ? actionData.telegram : null} error={actionData && 'error' in actionData ? actionData.error : null} />
			</div>
		</div>
	)
}
