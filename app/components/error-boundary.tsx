import { isRouteErrorResponse, Link, useRouteError, useRouteLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { formatNumber } from '~/utils/format'
import type { Lang } from '~/utils/i18n'
import { Card } from './ui/card'

/** Translated 403 / 404 / 500 (and other statuses) for every area's ErrorBoundary. */
export function GeneralErrorBoundary({ home = '/' }: { home?: string }) {
	const error = useRouteError()
	const { t, i18n } = useTranslation()
	// The root loader's id for this request: what the server logged with the error (handleError).
	const requestId = (useRouteLoaderData('root') as { requestId?: string | null } | undefined)?.requestId
	const status = isRouteErrorResponse(error) ? error.status : 500
	if (!isRouteErrorResponse(error)) console.error(error)
	const kind = status === 403 ? 'forbidden' : status === 404 ? 'notFound' : status === 429 ? 'tooMany' : status >= 500 ? 'server' : 'badRequest'
	const title = kind === 'tooMany' || kind === 'badRequest' ? t(`errors.${kind}`) : t(`errors.${kind}.title`)
	return (
		<Card className="mx-auto my-8 max-w-md text-center" data-status={status}>
			{/* In the reader's digits: "۴۰۴" in Persian (issue 12). */}
			<p className="text-4xl font-bold text-gray-300 tabular-nums">{formatNumber(i18n.language as Lang, status, { useGrouping: false })}</p>
			<h1 className="mt-2 text-lg font-semibold">{title}</h1>
			{kind === 'forbidden' || kind === 'notFound' || kind === 'server' ? <p className="mt-1 text-sm text-gray-500">{t(`errors.${kind}.body`)}</p> : null}
			{kind === 'server' && requestId ? (
				<p className="mt-2 text-xs text-gray-500" data-testid="request-id">
					{t('errors.requestId')} <code dir="ltr">{requestId}</code>
				</p>
			) : null}
			<Link to={home} className="mt-4 inline-block text-sm font-medium text-accent hover:underline">
				{t('errors.back')}
			</Link>
		</Card>
	)
}
