import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorList, Field } from '~/components/forms'
import { Button } from '~/components/ui/button'
import { Card } from '~/components/ui/card'
import { audit } from '~/utils/audit.server'
import { AREA_OF, requireUser, revokeOtherSessions } from '~/utils/auth.server'
import { prisma } from '~/utils/db.server'
import { hashPassword, verifyPassword } from '~/utils/password.server'
import { clientIp } from '~/utils/request.server'
import { redirectWithToast } from '~/utils/toast.server'
import { text } from '~/utils/validation'
import { readForm } from '~/utils/form-data.server'

const PasswordSchema = z
	.object({
		current: text({ max: 256 }),
		password: z.string({ error: 'errors.required' }).min(10, { error: 'password.tooShort' }).max(128, { error: 'password.tooLong' }),
		confirm: z.string({ error: 'errors.required' }),
	})
	.refine((v) => v.password === v.confirm, { path: ['confirm'], error: 'password.mismatch' })

export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	return { home: AREA_OF[user.role] }
}

export async function action({ request, context }: ActionFunctionArgs) {
	const user = await requireUser(request)
	const submission = parseWithZod(await readForm(request), { schema: PasswordSchema })
	if (submission.status !== 'success') return data({ result: submission.reply({ resetForm: false }) }, { status: 400 })
	const row = await prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } })
	if (!(await verifyPassword(row.passwordHash, submission.value.current))) {
		return data({ result: submission.reply({ fieldErrors: { current: ['password.wrongCurrent'] } }) }, { status: 400 })
	}
	if (submission.value.current === submission.value.password) {
		return data({ result: submission.reply({ fieldErrors: { password: ['password.same'] } }) }, { status: 400 })
	}
	await prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(submission.value.password), passwordChangedAt: new Date() } })
	await revokeOtherSessions(user.id, request)
	await audit({ actorId: user.id, action: 'auth.password_changed', entityType: 'user', entityId: user.id, ip: clientIp(context) })
	return redirectWithToast(AREA_OF[user.role], { type: 'success', key: 'password.changed' })
}

export default function PasswordPage() {
	const { home } = useLoaderData<typeof loader>()
	const { t } = useTranslation()
	const actionData = useActionData<typeof action>()
	const navigation = useNavigation()
	const [form, fields] = useForm({ id: 'password', lastResult: actionData?.result, onValidate: ({ formData }) => parseWithZod(formData, { schema: PasswordSchema }), shouldRevalidate: 'onBlur' })
	return (
		<main className="flex min-h-dvh items-center justify-center p-4">
			<Card className="w-full max-w-sm p-6">
				<h1 className="mb-4 text-lg font-semibold">{t('password.title')}</h1>
				<Form method="post" className="space-y-4" {...getFormProps(form)}>
					<Field label={t('password.current')} errors={fields.current.errors} inputProps={{ ...getInputProps(fields.current, { type: 'password' }), autoComplete: 'current-password', dir: 'ltr' }} />
					<Field label={t('password.new')} errors={fields.password.errors} inputProps={{ ...getInputProps(fields.password, { type: 'password' }), autoComplete: 'new-password', dir: 'ltr' }} />
					<Field label={t('password.confirm')} errors={fields.confirm.errors} inputProps={{ ...getInputProps(fields.confirm, { type: 'password' }), autoComplete: 'new-password', dir: 'ltr' }} />
					<ErrorList errors={form.errors} />
					<Button type="submit" className="w-full" pending={navigation.state === 'submitting'}>{t('password.submit')}</Button>
				</Form>
				<Link to={home} className="mt-4 block text-center text-sm text-gray-500 hover:underline">{t('errors.back')}</Link>
			</Card>
		</main>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
