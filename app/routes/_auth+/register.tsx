import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorList, Field } from '~/components/forms'
import { LanguageSwitch } from '~/components/preferences-forms'
import { Button } from '~/components/ui/button'
import { Card } from '~/components/ui/card'
import { RegisterSchema } from '~/models/end-user-form'
import { registerEndUser } from '~/models/end-user.server'
import { createSession, requireAnonymous, safeRedirect } from '~/utils/auth.server'
import { readForm } from '~/utils/form-data.server'
import { clientIp } from '~/utils/request.server'
import { redirectWithToast } from '~/utils/toast.server'

export const meta: MetaFunction = () => [{ title: 'Sign up · Guardino Hub' }]

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAnonymous(request)
	return null
}

export async function action({ request, context }: ActionFunctionArgs) {
	await requireAnonymous(request)
	const submission = parseWithZod(await readForm(request), { schema: RegisterSchema })
	if (submission.status !== 'success') return data({ result: submission.reply({ hideFields: ['password', 'confirm'] }) }, { status: 400 })
	const ip = clientIp(context)
	const saved = await registerEndUser(submission.value, ip)
	if (!saved.ok) return data({ result: submission.reply({ fieldErrors: saved.fieldErrors, hideFields: ['password', 'confirm'] }) }, { status: 400 })
	const cookie = await createSession(saved.user.id, request, ip)
	// A new user may come back to a plan he chose (/store/checkout/…) or land in his account.
	const to = safeRedirect(submission.value.redirectTo, '/account')
	const target = to.startsWith('/account') || to.startsWith('/store/') || to === '/' ? to : '/account'
	return redirectWithToast(target, { type: 'success', key: 'register.welcome', values: { name: saved.user.username } }, { headers: { 'Set-Cookie': cookie } })
}

export default function RegisterPage() {
	const actionData = useActionData<typeof action>()
	const { t } = useTranslation()
	const [params] = useSearchParams()
	const navigation = useNavigation()
	const [form, fields] = useForm({
		id: 'register',
		lastResult: actionData?.result,
		constraint: { username: { required: true, maxLength: 32 }, password: { required: true, minLength: 10, maxLength: 128 }, confirm: { required: true } },
		onValidate: ({ formData }) => parseWithZod(formData, { schema: RegisterSchema }),
		shouldRevalidate: 'onBlur',
	})
	const redirectTo = params.get('redirectTo') ?? ''
	return (
		<main className="flex min-h-dvh items-center justify-center p-4">
			<Card className="w-full max-w-sm p-6">
				<div className="mb-4 flex items-center justify-between">
					<h1 className="text-lg font-semibold">{t('register.title')}</h1>
					<LanguageSwitch />
				</div>
				<Form method="post" className="space-y-4" {...getFormProps(form)}>
					<input type="hidden" name="redirectTo" value={redirectTo} />
					<Field label={t('login.username')} hint={t('register.usernameHint')} errors={fields.username.errors} inputProps={{ ...getInputProps(fields.username, { type: 'text' }), autoComplete: 'username', autoCapitalize: 'none', dir: 'ltr' }} />
					<Field label={t('register.phone')} hint={t('register.phoneHint')} errors={fields.phone.errors} inputProps={{ ...getInputProps(fields.phone, { type: 'tel' }), autoComplete: 'tel', inputMode: 'tel', dir: 'ltr' }} />
					<Field label={t('register.email')} errors={fields.email.errors} inputProps={{ ...getInputProps(fields.email, { type: 'email' }), autoComplete: 'email', dir: 'ltr' }} />
					<Field label={t('login.password')} hint={t('register.passwordHint')} errors={fields.password.errors} inputProps={{ ...getInputProps(fields.password, { type: 'password' }), autoComplete: 'new-password', dir: 'ltr' }} />
					<Field label={t('register.confirm')} errors={fields.confirm.errors} inputProps={{ ...getInputProps(fields.confirm, { type: 'password' }), autoComplete: 'new-password', dir: 'ltr' }} />
					<ErrorList id={form.errorId} errors={form.errors} />
					<Button type="submit" className="w-full" pending={navigation.state === 'submitting'}>
						{t('register.submit')}
					</Button>
				</Form>
				<p className="mt-4 text-sm text-gray-600 dark:text-gray-400">
					{t('register.haveAccount')}{' '}
					<Link to={redirectTo ? `/login?redirectTo=${encodeURIComponent(redirectTo)}` : '/login'} className="font-medium text-accent hover:underline">{t('login.submit')}</Link>
				</p>
			</Card>
		</main>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
