// Wizard step 1 (issue 13): connect a router — REST or binary API, custom port, TLS and its
// verify toggle — and test it. Only a router that answered is stored, credentials sealed.
import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ErrorList, Field, inputClass } from '~/components/forms'
import { PageHeader } from '~/components/shell'
import { WizardSteps } from '~/components/routers/wizard-steps'
import { Button } from '~/components/ui/button'
import { Card } from '~/components/ui/card'
import { ConnectSchema } from '~/models/router-form'
import { connectRouter } from '~/services/routers/routers.server'
import { requireAdmin } from '~/utils/auth.server'
import { readForm } from '~/utils/form-data.server'
import { redirectWithToast } from '~/utils/toast.server'

export async function loader({ request }: LoaderFunctionArgs) {
	await requireAdmin(request)
	return null
}

export async function action({ request }: ActionFunctionArgs) {
	const admin = await requireAdmin(request)
	const submission = parseWithZod(await readForm(request), { schema: ConnectSchema })
	if (submission.status !== 'success') return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 })
	const v = submission.value
	const port = v.port ?? (v.transport === 'api' ? (v.tls ? 8729 : 8728) : undefined)
	const result = await connectRouter({ ...v, port, host: v.host ?? null, baseUrl: v.baseUrl ?? null }, admin.id)
	if (!result.ok) {
		const formErrors = [`nodes.errors.${result.code}`, ...(result.reason ? [result.reason] : [])]
		return data({ result: submission.reply({ hideFields: ['password'], formErrors }) }, { status: result.code === 'timeout' ? 504 : 422 })
	}
	return redirectWithToast(`/admin/routers/${result.routerId}/import`, {
		type: 'success',
		key: 'routers.connected',
		values: { identity: result.facts.identity, version: result.facts.version, uptime: result.facts.uptime },
	})
}

export default function NewRouter() {
	const actionData = useActionData<typeof action>()
	const { t } = useTranslation()
	const busy = useNavigation().state !== 'idle'
	const [form, fields] = useForm({
		lastResult: actionData?.result,
		defaultValue: { transport: 'rest', tls: 'on', verifyTls: 'on' },
		onValidate: ({ formData }) => parseWithZod(formData, { schema: ConnectSchema }),
		shouldRevalidate: 'onBlur',
	})
	return (
		<>
			<PageHeader title={t('routers.wizard.title')} />
			<WizardSteps current={1} />
			<Card className="max-w-2xl">
				<Form method="post" {...getFormProps(form)} className="space-y-4">
					<ErrorList errors={form.errors} id={form.errorId} />
					<Field label={t('routers.fields.name')} errors={fields.name.errors} inputProps={{ ...getInputProps(fields.name, { type: 'text' }), placeholder: 'hq-router' }} />
					<fieldset className="space-y-2">
						<legend className="text-sm font-medium text-gray-700 dark:text-gray-300">{t('routers.fields.transport')}</legend>
						{(['rest', 'api'] as const).map((k) => (
							<label key={k} className="flex items-start gap-2 text-sm">
								<input type="radio" name={fields.transport.name} value={k} defaultChecked={(fields.transport.initialValue ?? 'rest') === k} className="mt-1" />
								<span>
									<span className="font-medium">{t(`routers.transport.${k}`)}</span>
									<span className="block text-xs text-gray-500">{t(`routers.transport.${k}Hint`)}</span>
								</span>
							</label>
						))}
					</fieldset>
					<Field label={t('routers.fields.baseUrl')} errors={fields.baseUrl.errors} hint={t('routers.hints.baseUrl')} inputProps={{ ...getInputProps(fields.baseUrl, { type: 'url' }), placeholder: 'https://192.168.88.1:8443', dir: 'ltr' }} />
					<div className="grid gap-4 sm:grid-cols-3">
						<Field className="sm:col-span-2" label={t('routers.fields.host')} errors={fields.host.errors} hint={t('routers.hints.host')} inputProps={{ ...getInputProps(fields.host, { type: 'text' }), placeholder: '192.168.88.1', dir: 'ltr' }} />
						<Field label={t('routers.fields.port')} errors={fields.port.errors} hint={t('routers.hints.port')} inputProps={{ ...getInputProps(fields.port, { type: 'text' }), inputMode: 'numeric', dir: 'ltr' }} />
					</div>
					<div className="flex flex-wrap gap-6 text-sm">
						<label className="flex items-center gap-2"><input {...getInputProps(fields.tls, { type: 'checkbox' })} />{t('routers.fields.tls')}</label>
						<label className="flex items-center gap-2"><input {...getInputProps(fields.verifyTls, { type: 'checkbox' })} />{t('routers.fields.verifyTls')}</label>
					</div>
					<p className="text-xs text-gray-500">{t('routers.hints.verifyTls')}</p>
					<div className="grid gap-4 sm:grid-cols-2">
						<Field label={t('routers.fields.username')} errors={fields.username.errors} inputProps={{ ...getInputProps(fields.username, { type: 'text' }), autoComplete: 'off', dir: 'ltr' }} />
						<Field label={t('routers.fields.password')} errors={fields.password.errors} inputProps={{ ...getInputProps(fields.password, { type: 'password' }), autoComplete: 'new-password', dir: 'ltr' }} />
					</div>
					<p className="text-xs text-gray-500">{t('routers.hints.sealed')}</p>
					<Button type="submit" pending={busy}>{t('routers.wizard.test')}</Button>
				</Form>
			</Card>
		</>
	)
}
