// The statement pages' error boundary: a bad month or calendar shows the loader's translated
// message (a 400 whose body is that text) with the way to this month; anything else is the
// general boundary.
import { Link, isRouteErrorResponse, useRouteError } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Card } from '~/components/ui/card'

export function StatementError({ home }: { home: string }) {
	const error = useRouteError()
	const { t } = useTranslation()
	if (isRouteErrorResponse(error) && error.status === 400 && typeof error.data === 'string') {
		return (
			<Card className="mx-auto my-8 max-w-md text-center" data-status={400}>
				<p className="text-sm" data-testid="statement-error">{error.data}</p>
				<Link to={home} className="mt-4 inline-block text-sm font-medium text-accent hover:underline">{t('statements.link')}</Link>
			</Card>
		)
	}
	return <GeneralErrorBoundary home={home} />
}
