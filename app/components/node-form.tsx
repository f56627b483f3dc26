import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { NodeFormSchema } from '~/models/node-form'
import type { NodeKind, PanelOption } from '~/services/panels/types'
import { ErrorList, Field, inputClass } from './forms'
import { Button } from './ui/button'
import { Card } from './ui/card'

export interface NodeFormDefaults {
	name?: string
	baseUrl?: string | null
	host?: string | null
	port?: number | null
	transport?: string | null
	tls?: boolean
	verifyTls?: boolean
	usageMultiplier?: string
	wgInterface?: string
	wgEndpoint?: string
	wgDns?: string
	wgTimezone?: string
	publicBaseUrl?: string
	selected?: string[]
	hasUsername?: boolean
	hasPassword?: boolean
	hasApiKey?: boolean
}

/** One form for every kind; only the fields the kind needs are shown. Plain POST, no JS needed. */
export function NodeForm({ kind, defaults = {}, available = [], lastResult, submitLabel, editing }: { kind: NodeKind; defaults?: NodeFormDefaults; available?: PanelOption[]; lastResult?: SubmissionResult<string[]>; submitLabel: string; editing?: boolean }) {
	const { t } = useTranslation()
	const navigation = useNavigation()
	const [form, fields] = useForm({ id: 'node', lastResult, shouldRevalidate: 'onBlur', onValidate: ({ formData }) => parseWithZod(formData, { schema: NodeFormSchema }) })
	const wg = kind === 'wgdashboard' || kind === 'routeros'
	const kept = (has?: boolean) => (editing && has ? t('nodes.secretKept') : undefined)
	const transport = defaults.transport ?? 'rest'
	return (
		<Form method="post" className="space-y-4" {...getFormProps(form)}>
			<input type="hidden" name="intent" value="save" />
			<input type="hidden" name="kind" value={kind} />
			<Card className="space-y-4">
				<Field label={t('nodes.name')} errors={fields.name.errors} inputProps={{ ...getInputProps(fields.name, { type: 'text' }), defaultValue: defaults.name }} />
				{kind === 'routeros' ? (
					<fieldset>
						<legend className="text-sm font-medium text-gray-700 dark:text-gray-300">{t('nodes.transport')}</legend>
						<div className="mt-1 flex flex-wrap gap-4 text-sm">
							{(['rest', 'api'] as const).map((v) => (
								<label key={v} className="flex items-center gap-1">
									<input type="radio" name="transport" value={v} defaultChecked={transport === v} />
									{t(v === 'rest' ? 'nodes.transportRest' : 'nodes.transportApi')}
								</label>
							))}
						</div>
					</fieldset>
				) : null}
				<Field label={t('nodes.baseUrl')} hint={t('nodes.baseUrlHint')} errors={fields.baseUrl.errors} inputProps={{ ...getInputProps(fields.baseUrl, { type: 'url' }), defaultValue: defaults.baseUrl ?? '', dir: 'ltr', required: kind !== 'routeros' }} />
				{kind === 'routeros' ? (
					<div className="grid grid-cols-3 gap-3">
						<Field className="col-span-2" label={t('nodes.host')} errors={fields.host.errors} inputProps={{ ...getInputProps(fields.host, { type: 'text' }), defaultValue: defaults.host ?? '', dir: 'ltr' }} />
						<Field label={t('nodes.port')} errors={fields.port.errors} inputProps={{ ...getInputProps(fields.port, { type: 'text' }), inputMode: 'numeric', defaultValue: defaults.port ?? '', dir: 'ltr' }} />
					</div>
				) : null}
				<div className="flex flex-wrap gap-4 text-sm">
					<label className="flex items-center gap-2"><input type="checkbox" name="tls" defaultChecked={defaults.tls ?? true} />{t('nodes.tls')}</label>
					<label className="flex items-center gap-2"><input type="checkbox" name="verifyTls" defaultChecked={defaults.verifyTls ?? true} />{t('nodes.verifyTls')}</label>
				</div>
			</Card>
			<Card className="space-y-4">
				{kind !== 'wgdashboard' ? (
					<>
						<Field label={t('nodes.username')} hint={kept(defaults.hasUsername)} errors={fields.username.errors} inputProps={{ ...getInputProps(fields.username, { type: 'text' }), autoComplete: 'off', dir: 'ltr' }} />
						<Field label={t('nodes.password')} hint={kept(defaults.hasPassword)} errors={fields.password.errors} inputProps={{ ...getInputProps(fields.password, { type: 'password' }), autoComplete: 'new-password', dir: 'ltr' }} />
						{/* Marzneshin scopes a non-sudo admin to its own users and services (app/dependencies.py). */}
						{kind === 'marzneshin' ? <p className="text-xs text-gray-500">{t('nodes.marzneshinAdminHint')}</p> : null}
					</>
				) : null}
				{kind === 'wgdashboard' || kind === 'pasarguard' ? (
					<Field label={t('nodes.apiKey')} hint={kept(defaults.hasApiKey) ?? (kind === 'pasarguard' ? t('nodes.apiKeyHintPasarguard') : undefined)} errors={fields.apiKey.errors} inputProps={{ ...getInputProps(fields.apiKey, { type: 'password' }), autoComplete: 'off', dir: 'ltr' }} />
				) : null}
				<Field label={t('nodes.proxyUrl')} hint={t('nodes.proxyHint')} errors={fields.proxyUrl.errors} inputProps={{ ...getInputProps(fields.proxyUrl, { type: 'url' }), dir: 'ltr' }} />
				<Field label={t('nodes.usageMultiplier')} hint={t('nodes.usageMultiplierHint')} errors={fields.usageMultiplier.errors} inputProps={{ ...getInputProps(fields.usageMultiplier, { type: 'text' }), inputMode: 'decimal', defaultValue: defaults.usageMultiplier ?? '1', dir: 'ltr' }} />
			</Card>
			{available.length > 0 || wg ? (
				<Card className="space-y-4">
					{available.length > 0 && !wg ? (
						<fieldset>
							<legend className="text-sm font-medium text-gray-700 dark:text-gray-300">{t('nodes.options')}</legend>
							<p className="text-xs text-gray-500">{t('nodes.optionsHint')}</p>
							<div className="mt-2 grid gap-1 sm:grid-cols-2">
								{available.map((o) => (
									<label key={o.id} className="flex items-center gap-2 text-sm">
										<input type="checkbox" name="selected" value={o.id} defaultChecked={defaults.selected?.includes(o.id)} />
										<span dir="ltr">{o.label}</span>
										{o.meta?.protocol ? <span className="text-xs text-gray-500">{o.meta.protocol}</span> : null}
									</label>
								))}
							</div>
						</fieldset>
					) : null}
					{wg ? (
						<>
							{available.length > 0 ? (
								<label className="block space-y-1 text-sm">
									<span className="font-medium text-gray-700 dark:text-gray-300">{t('nodes.wgInterface')}</span>
									<select name="wgInterface" defaultValue={defaults.wgInterface} className={inputClass} dir="ltr">
										{available.map((o) => <option key={o.id} value={o.id}>{o.label}</option>)}
									</select>
								</label>
							) : (
								<Field label={t('nodes.wgInterface')} errors={fields.wgInterface.errors} inputProps={{ ...getInputProps(fields.wgInterface, { type: 'text' }), defaultValue: defaults.wgInterface, dir: 'ltr', placeholder: 'wg0' }} />
							)}
							<Field label={t('nodes.wgEndpoint')} errors={fields.wgEndpoint.errors} inputProps={{ ...getInputProps(fields.wgEndpoint, { type: 'text' }), defaultValue: defaults.wgEndpoint, dir: 'ltr', placeholder: 'vpn.example.com:51820' }} />
							<Field label={t('nodes.wgDns')} errors={fields.wgDns.errors} inputProps={{ ...getInputProps(fields.wgDns, { type: 'text' }), defaultValue: defaults.wgDns, dir: 'ltr', placeholder: '1.1.1.1' }} />
							{kind === 'wgdashboard' ? (
								<Field label={t('nodes.wgTimezone')} hint={t('nodes.wgTimezoneHint')} errors={fields.wgTimezone.errors} inputProps={{ ...getInputProps(fields.wgTimezone, { type: 'text' }), defaultValue: defaults.wgTimezone, dir: 'ltr', placeholder: 'UTC' }} />
							) : null}
						</>
					) : (
						<Field label={t('nodes.publicBaseUrl')} errors={fields.publicBaseUrl.errors} inputProps={{ ...getInputProps(fields.publicBaseUrl, { type: 'url' }), defaultValue: defaults.publicBaseUrl, dir: 'ltr' }} />
					)}
				</Card>
			) : null}
			<ErrorList id={form.errorId} errors={form.errors} />
			<Button type="submit" pending={navigation.state === 'submitting' && navigation.formData?.get('intent') === 'save'}>{submitLabel}</Button>
		</Form>
	)
}
