// Flash messages after redirects: a short-lived cookie read (and cleared) by the root loader.
import { createCookie, redirect } from '@remix-run/node'
import { z } from 'zod'
import { secureCookies } from './env.server'

export const toastSchema = z.object({
	type: z.enum(['success', 'error', 'info']).default('success'),
	/** A translation key plus its values, so the toast appears in the reader's language. */
	key: z.string(),
	values: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
})
export type Toast = z.infer<typeof toastSchema>

export const toastCookie = createCookie('toast', { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies(), maxAge: 60 })

export async function redirectWithToast(url: string, toast: Toast, init: ResponseInit = {}) {
	const headers = new Headers(init.headers)
	headers.append('Set-Cookie', await toastCookie.serialize(toast))
	return redirect(url, { ...init, headers })
}

export async function readToast(request: Request): Promise<{ toast: Toast | null; headers: HeadersInit | undefined }> {
	const raw = await toastCookie.parse(request.headers.get('cookie'))
	if (!raw) return { toast: null, headers: undefined }
	const parsed = toastSchema.safeParse(raw)
	return {
		toast: parsed.success ? parsed.data : null,
		headers: { 'Set-Cookie': await toastCookie.serialize('', { maxAge: 0 }) },
	}
}
