import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { safeRedirect } from '~/utils/auth.server'
import { LANGUAGES } from '~/utils/i18n'
import { langCookie } from '~/utils/i18n.server'
import { readFormFields } from '~/utils/form-data.server'

// Public on purpose: anyone (also before login) may choose a language. A plain form POST.
const schema = z.object({ lang: z.enum(LANGUAGES), redirectTo: z.string().optional() })

export async function loader() {
	return redirect('/')
}

export async function action({ request }: ActionFunctionArgs) {
	const parsed = schema.safeParse(await readFormFields(request))
	if (!parsed.success) return Response.json({ error: 'errors.badRequest' }, { status: 400 })
	return redirect(safeRedirect(parsed.data.redirectTo, '/'), { headers: { 'Set-Cookie': await langCookie.serialize(parsed.data.lang) } })
}
