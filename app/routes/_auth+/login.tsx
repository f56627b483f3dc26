import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, ErrorList } from '~/components/forms'
import { LanguageSwitch } from '~/components/preferences-forms'
import { Button } from '~/components/ui/button'
import { Card } from '~/components/ui/card'
import { AREA_OF, authenticator, createSession, LoginError, requireAnonymous, safeRedirect } from '~/utils/auth.server'
import { audit } from '~/utils/audit.server'
import { env } from '~/utils/env.server'
import { clientIp } from '~/utils/request.server'
import { clearFailures, recordFailure, retryAfter, throttleKeys, trustDevice } from '~/utils/throttle.server'
import { redirectWithToast } from '~/utils/toast.server'
import { text } from '~/utils/validation'
import { readForm } from '~/utils/form-data.server'

export const LoginSchema = z.object({
	username: text({ max: 64 }),
	password: text({ max: 256 }),
	redirectTo: z.string().max(2000).optional(),
})

export const meta: MetaFunction = () => [{ title: 'Log in · Guardino Hub' }]

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAnonymous(request)
	return { demo: env().DEMO_MODE }
}

export async function action({ request, context }: ActionFunctionArgs) {
	await requireAnonymous(request)
	const formData = await readForm(request)
	const submission = parseWithZod(formData, { schema: LoginSchema })
	if (submission.status !== 'success') {
		return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 })
	}
	const ip = clientIp(context)
	const username = submission.value.username.trim().toLowerCase()
	// The demo prints its passwords on this page: throttling would only lock out a newcomer's typos.
	const keys = env().DEMO_MODE ? [] : await throttleKeys(request, ip, username)
	const wait = await retryAfter(keys)
	if (wait > 0) {
		return data({ result: submission.reply({ formErrors: ['login.throttled'], hideFields: ['password'] }) }, { status: 429, headers: { 'Retry-After': String(wait) } })
	}
	// remix-auth's FormStrategy reads the form again; hand it the already-validated values.
	const authRequest = new Request(request.url, {
		method: 'POST',
		headers: request.headers,
		body: new URLSearchParams({ username: submission.value.username, password: submission.value.password }),
	})
	try {
		const user = await authenticator.authenticate('form', authRequest)
		await clearFailures(keys)
		const cookie = await createSession(user.id, request, ip)
		await audit({ actorId: user.id, action: 'auth.login', entityType: 'user', entityId: user.id, ip })
		const to = safeRedirect(submission.value.redirectTo, AREA_OF[user.role])
		// A user may only be sent into his own area.
		// End users may also return to the store page they came from (a plan's checkout).
		const target = to.startsWith(AREA_OF[user.role]) || to === '/password' || (user.role === 'customer' && to.startsWith('/store/')) ? to : AREA_OF[user.role]
		const headers = new Headers([
			['Set-Cookie', cookie],
			['Set-Cookie', await trustDevice(user.username)],
		])
		return redirectWithToast(target, { type: 'success', key: 'toast.welcome', values: { name: user.displayName ?? user.username } }, { headers })
	} catch (error) {
		if (error instanceof Response) throw error
		const code = error instanceof LoginError ? error.code : 'invalid'
		if (code === 'invalid') await recordFailure(keys)
		return data({ result: submission.reply({ formErrors: [`login.${code}`], hideFields: ['password'] }) }, { status: code === 'disabled' ? 403 : 400 })
	}
}

export default function LoginPage() {
	const { demo } = useLoaderData<typeof loader>()
	const actionData = useActionData<typeof action>()
	const { t } = useTranslation()
	const [params] = useSearchParams()
	const navigation = useNavigation()
	const [form, fields] = useForm({
		id: 'login',
		lastResult: actionData?.result,
		constraint: { username: { required: true, maxLength: 64 }, password: { required: true, maxLength: 256 } },
		onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginSchema }),
		shouldRevalidate: 'onBlur',
	})
	return (
		<main className="flex min-h-dvh items-center justify-center p-4">
			<Card className="w-full max-w-sm p-6">
				<div className="mb-4 flex items-center justify-between">
					<h1 className="text-lg font-semibold">{t('login.title')}</h1>
					<LanguageSwitch />
				</div>
				<Form method="post" className="space-y-4" {...getFormProps(form)}>
					<input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? ''} />
					<Field label={t('login.username')} errors={fields.username.errors} inputProps={{ ...getInputProps(fields.username, { type: 'text' }), autoComplete: 'username', autoCapitalize: 'none', dir: 'ltr' }} />
					<Field label={t('login.password')} errors={fields.password.errors} inputProps={{ ...getInputProps(fields.password, { type: 'password' }), autoComplete: 'current-password', dir: 'ltr' }} />
					<ErrorList id={form.errorId} errors={form.errors} />
					<Button type="submit" className="w-full" pending={navigation.state === 'submitting'}>
						{t('login.submit')}
					</Button>
				</Form>
				<p className="mt-4 text-sm text-gray-600 dark:text-gray-400">
					{t('register.noAccount')}{' '}
					<Link to={params.get('redirectTo') ? `/register?redirectTo=${encodeURIComponent(params.get('redirectTo')!)}` : '/register'} className="font-medium text-accent hover:underline">{t('register.title')}</Link>
				</p>
				{demo ? <p className="mt-4 text-xs text-gray-500" data-testid="demo-hint">{t('login.demoHint')}</p> : null}
			</Card>
		</main>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}

