// The POST forms of both notification pages: mark one read, mark all read.
import { data, redirect } from '@remix-run/node'
import { z } from 'zod'
import { redirectWithToast } from '~/utils/toast.server'
import { markAllRead, markRead, type Audience } from './notification.server'
import { readFormFields } from '~/utils/form-data.server'

const ActionSchema = z.discriminatedUnion('intent', [
	z.object({ intent: z.literal('read'), id: z.string().regex(/^\d{1,18}$/) }),
	z.object({ intent: z.literal('read_all') }),
])

export async function notificationAction(request: Request, audience: Audience) {
	const parsed = ActionSchema.safeParse(await readFormFields(request))
	if (!parsed.success) return data({ error: 'errors.badRequest' }, { status: 400 })
	const url = new URL(request.url)
	const back = `${url.pathname}${url.search}`
	if (parsed.data.intent === 'read_all') {
		await markAllRead(audience)
		return redirectWithToast(back, { type: 'success', key: 'automation.inbox.allRead' })
	}
	// Another audience's notification is simply not found, like one that does not exist.
	if (!(await markRead(audience, BigInt(parsed.data.id)))) throw new Response('Not found', { status: 404 })
	return redirect(back)
}

export function parseUnreadFilter(request: Request) {
	return new URL(request.url).searchParams.get('unread') === '1'
}
