import type { LoaderFunctionArgs } from '@remix-run/node'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { requireUser } from '~/utils/auth.server'

// Unknown paths inside the area: 404 rendered inside the area's shell (after the role check).
export async function loader({ request }: LoaderFunctionArgs) {
	await requireUser(request, ['admin'])
	throw new Response('Not found', { status: 404 })
}

export default function NotFound() {
	return null
}

export function ErrorBoundary() {
	return <GeneralErrorBoundary home="/admin" />
}
