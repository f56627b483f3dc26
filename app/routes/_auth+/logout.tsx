import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { logout } from '~/utils/auth.server'
import { redirectWithToast } from '~/utils/toast.server'

// GET does nothing: logging out is a POST so a link on another site cannot do it.
export async function loader() {
	return redirect('/')
}

export async function action({ request }: ActionFunctionArgs) {
	const cookie = await logout(request)
	return redirectWithToast('/login', { type: 'info', key: 'toast.loggedOut' }, { headers: { 'Set-Cookie': cookie } })
}
