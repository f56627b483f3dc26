import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Button } from '~/components/ui/button'
import { Card } from '~/components/ui/card'
import { AREA_OF, requireUser, safeRedirect } from '~/utils/auth.server'
import { CONFIRM_KIND, CONFIRM_PATH, CONFIRM_TO, isConfirmKind, kindField, MAX_FIELDS, MAX_VALUE } from '~/utils/confirm-step'

/**
 * The confirmation step a ConfirmButton leads to when JavaScript is off: the question, and a form
 * that posts the very fields of the original form to its action. Cancel goes back to that page.
 */
export async function loader({ request }: LoaderFunctionArgs) {
	const user = await requireUser(request)
	const params = new URL(request.url).searchParams
	const home = AREA_OF[user.role]
	// Only a path on this site (safeRedirect), and never this page itself (a loop).
	const to = safeRedirect(params.get(CONFIRM_TO), home)
	const action = to.startsWith(CONFIRM_PATH) ? home : to
	const fields = [...params].filter(([k]) => k !== CONFIRM_TO && !k.startsWith(CONFIRM_KIND))
	// The pressed button's own question (its name=value is among the fields), else the form's.
	const pressed = fields.map(([k, v]) => params.get(kindField(k, v))).find((v) => v != null)
	const kind = pressed ?? params.get(CONFIRM_KIND)
	if (fields.length > MAX_FIELDS || fields.some(([k, v]) => k.length > 100 || v.length > MAX_VALUE)) {
		throw new Response('Bad request', { status: 400 })
	}
	return { action, back: action.replace(/[?&]index(?=&|$)/, '').replace(/\?$/, '') || home, kind: isConfirmKind(kind) ? kind : null, fields }
}

export default function ConfirmStep() {
	const { action, back, kind, fields } = useLoaderData<typeof loader>()
	const { t } = useTranslation()
	return (
		<main className="flex min-h-dvh items-center justify-center bg-gray-50 p-4 dark:bg-gray-950">
			<Card className="w-full max-w-sm space-y-4 p-6" data-testid="confirm-step">
				<div className="flex items-start gap-3">
					<span className="flex size-10 shrink-0 items-center justify-center rounded-full bg-red-50 text-red-600 dark:bg-red-950 dark:text-red-300" aria-hidden>
						<svg viewBox="0 0 20 20" fill="currentColor" className="size-5"><path fillRule="evenodd" d="M8.5 2.9a1.75 1.75 0 0 1 3 0l6.3 11.1A1.75 1.75 0 0 1 16.3 16.6H3.7a1.75 1.75 0 0 1-1.5-2.6L8.5 2.9ZM10 7a.75.75 0 0 1 .75.75v3.5a.75.75 0 0 1-1.5 0v-3.5A.75.75 0 0 1 10 7Zm0 7.5a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z" clipRule="evenodd" /></svg>
					</span>
					<div className="min-w-0">
						<h1 className="text-base font-semibold">{kind ? t(`daily.confirm.${kind}.title`) : t('dialog.areYouSure')}</h1>
						<p className="mt-1 text-sm text-gray-600 dark:text-gray-400">{kind ? t(`daily.confirm.${kind}.body`) : t('daily.confirm.generic')}</p>
					</div>
				</div>
				<Form method="post" action={action} className="flex flex-wrap justify-end gap-2">
					{fields.map(([name, value], i) => <input key={`${name}-${i}`} type="hidden" name={name} value={value} />)}
					<Link to={back} className="rounded-lg px-4 py-2 text-sm font-medium text-gray-900 ring-1 ring-gray-300 hover:bg-gray-50 dark:text-gray-100 dark:ring-gray-700 dark:hover:bg-gray-800" data-testid="confirm-cancel">
						{t('dialog.cancel')}
					</Link>
					<Button type="submit" variant="danger" data-testid="confirm-submit">
						{kind ? t(`daily.confirm.${kind}.action`) : t('dialog.confirm')}
					</Button>
				</Form>
			</Card>
		</main>
	)
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary />
}
