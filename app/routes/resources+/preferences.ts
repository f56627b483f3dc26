import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { safeRedirect } from '~/utils/auth.server'
import { preferencesSchema, prefsCookie } from '~/utils/preferences.server'
import { readFormFields } from '~/utils/form-data.server'

// Public on purpose: theme and accent are a browser's preference, not account data.
export async function loader() {
	return redirect('/')
}

export async function action({ request }: ActionFunctionArgs) {
	const form = await readFormFields(request)
	const prefs = preferencesSchema.parse(form)
	return redirect(safeRedirect(form.redirectTo as string | undefined, '/'), { headers: { 'Set-Cookie': await prefsCookie.serialize(prefs) } })
}
