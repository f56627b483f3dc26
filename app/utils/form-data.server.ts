// The one way an action reads its form. `request.formData()` throws a TypeError for a JSON or
// text/plain body and for broken multipart, which Remix answers as a 500; here those are a
// translated 415 / 400 that the route's ErrorBoundary shows like any other 4xx.
import { getT } from './i18n.server'

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data']

async function refusal(request: Request, status: 400 | 415, key: string) {
	const t = await getT(request)
	return new Response(t(key), { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } })
}

/** The submitted form, or a thrown 415 (not form data) / 400 (form data that does not parse). */
export async function readForm(request: Request): Promise<FormData> {
	const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
	if (!FORM_TYPES.includes(type)) throw await refusal(request, 415, 'errors.unsupportedBody')
	try {
		return await request.formData()
	} catch {
		throw await refusal(request, 400, 'errors.brokenBody')
	}
}

/** The form as plain strings for a zod schema; a file where text belongs becomes "" (invalid). */
export async function readFormFields(request: Request): Promise<Record<string, string>> {
	const form = await readForm(request)
	return Object.fromEntries([...form.entries()].map(([k, v]) => [k, typeof v === 'string' ? v : '']))
}
