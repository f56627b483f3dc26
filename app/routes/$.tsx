import { GeneralErrorBoundary } from '~/components/error-boundary'

export async function loader() {
	throw new Response('Not found', { status: 404 })
}

export default function NotFound() {
	return null
}

export function ErrorBoundary() {
	return (
		<main className="mx-auto max-w-lg p-6">
			<GeneralErrorBoundary />
		</main>
	)
}
