/** Client IP: the proxy's header when one is in front (Fly, nginx), else the socket's. */
export function clientIp(request: Request) {
	const forwarded = request.headers.get('fly-client-ip') ?? request.headers.get('x-forwarded-for')?.split(',')[0]?.trim()
	return forwarded || request.headers.get('x-real-ip') || 'unknown'
}

export function badRequest<T>(data: T, init?: ResponseInit) {
	return Response.json(data, { status: 400, ...init })
}
