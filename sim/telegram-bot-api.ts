// A local fake of the Telegram Bot API (core.telegram.org/bots/api), for grammy's `client.apiRoot`:
// POST <root>/bot<token>/<method> with a JSON or multipart/form-data body, answered with
// {"ok":true,"result":…} or {"ok":false,"error_code":N,"description":"…","parameters":{…}}
// (the API's "Making requests" section). Implemented: getMe, getUpdates (offset confirms, timeout
// long-polls), sendMessage, sendDocument (multipart upload, as grammy sends an InputFile).
// Switches: flood(n, retryAfter) answers 429 "Too Many Requests: retry after N" with
// parameters.retry_after (the API's ResponseParameters); block(chatId) answers 403 "Forbidden: bot
// was blocked by the user", the error Telegram gives once a user blocked the bot; a chat that never
// wrote to the bot gets 400 "Bad Request: chat not found" (bots cannot start conversations).
// Drive it in-process or by POST /__sim/<action> (JSON body), like the panel simulators.
import { createHash } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface SimTgUser {
	id: number
	username?: string
	first_name?: string
}

export interface SentMessage {
	method: 'sendMessage' | 'sendDocument'
	chatId: number
	messageId: number
	text?: string
	caption?: string
	fileName?: string
	fileBytes?: number
	fileSha256?: string
	at: number
}

export interface TelegramSimOptions {
	port?: number
	token?: string
	botUsername?: string
}

export const SIM_TELEGRAM_TOKEN = '123456:AAsim-telegram-token-for-tests'

type Reply = { status: number; body: unknown }
const ok = (result: unknown): Reply => ({ status: 200, body: { ok: true, result } })
const fail = (code: number, description: string, parameters?: Record<string, unknown>): Reply => ({
	status: code,
	body: { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) },
})

export async function startTelegramSim(opts: TelegramSimOptions = {}) {
	const token = opts.token ?? SIM_TELEGRAM_TOKEN
	const bot = { id: Number(token.split(':')[0]) || 123456, is_bot: true, first_name: 'Guardino Sim', username: opts.botUsername ?? 'guardino_sim_bot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false }
	let nextUpdateId = 1_000
	let nextMessageId = 1
	const updates: Array<{ update_id: number; message: Record<string, unknown> }> = []
	const waiters = new Set<() => void>()
	const chats = new Map<number, SimTgUser>()
	const blocked = new Set<number>()
	let floods: Array<{ retryAfter: number; chatId?: number }> = []
	const sent: SentMessage[] = []
	const calls: Record<string, number> = {}

	/** A user writes to the bot (e.g. "/start <code>" after following t.me/<bot>?start=<code>). */
	function userSends(user: SimTgUser, text: string) {
		chats.set(user.id, user)
		const entities = text.startsWith('/') ? [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }] : undefined
		updates.push({
			update_id: nextUpdateId++,
			message: {
				message_id: nextMessageId++,
				from: { id: user.id, is_bot: false, first_name: user.first_name ?? 'User', ...(user.username ? { username: user.username } : {}) },
				chat: { id: user.id, type: 'private', first_name: user.first_name ?? 'User', ...(user.username ? { username: user.username } : {}) },
				date: Math.floor(Date.now() / 1000),
				text,
				...(entities ? { entities } : {}),
			},
		})
		for (const w of waiters) w()
	}

	function pending(offset: number | undefined, limit: number) {
		// "An update is considered confirmed as soon as getUpdates is called with an offset higher than its update_id."
		if (offset !== undefined) while (updates.length && updates[0]!.update_id < offset) updates.shift()
		return updates.slice(0, limit)
	}

	async function getUpdates(p: Record<string, unknown>): Promise<Reply> {
		const offset = p.offset === undefined ? undefined : Number(p.offset)
		const limit = Math.min(100, Math.max(1, Number(p.limit ?? 100)))
		const timeout = Math.max(0, Number(p.timeout ?? 0))
		let found = pending(offset, limit)
		if (!found.length && timeout > 0) {
			await new Promise<void>((resolve) => {
				const done = () => {
					clearTimeout(t)
					waiters.delete(done)
					resolve()
				}
				const t = setTimeout(done, timeout * 1000)
				waiters.add(done)
			})
			found = pending(offset, limit)
		}
		return ok(found)
	}

	/** The checks every send goes through, in the order Telegram applies them. */
	function refuse(chatId: number): Reply | null {
		const i = floods.findIndex((f) => f.chatId === undefined || f.chatId === chatId)
		if (i >= 0) {
			const [f] = floods.splice(i, 1)
			return fail(429, `Too Many Requests: retry after ${f!.retryAfter}`, { retry_after: f!.retryAfter })
		}
		if (blocked.has(chatId)) return fail(403, 'Forbidden: bot was blocked by the user')
		if (!chats.has(chatId)) return fail(400, 'Bad Request: chat not found')
		return null
	}

	function message(chatId: number, extra: Record<string, unknown>) {
		const u = chats.get(chatId)!
		return { message_id: nextMessageId++, from: bot, chat: { id: chatId, type: 'private', first_name: u.first_name ?? 'User' }, date: Math.floor(Date.now() / 1000), ...extra }
	}

	async function handle(method: string, p: Record<string, unknown>, file: { name: string; bytes: Buffer } | null): Promise<Reply> {
		switch (method) {
			case 'getMe':
				return ok(bot)
			case 'getUpdates':
				return getUpdates(p)
			case 'sendMessage': {
				const chatId = Number(p.chat_id)
				if (typeof p.text !== 'string' || p.text.trim() === '') return fail(400, 'Bad Request: message text is empty')
				if (p.text.length > 4096) return fail(400, 'Bad Request: message is too long')
				const no = refuse(chatId)
				if (no) return no
				const m = message(chatId, { text: p.text })
				sent.push({ method: 'sendMessage', chatId, messageId: m.message_id, text: p.text, at: Date.now() })
				return ok(m)
			}
			case 'sendDocument': {
				const chatId = Number(p.chat_id)
				if (!file && typeof p.document !== 'string') return fail(400, 'Bad Request: there is no document in the request')
				const no = refuse(chatId)
				if (no) return no
				const bytes = file?.bytes ?? Buffer.alloc(0)
				const m = message(chatId, { document: { file_name: file?.name, file_size: bytes.length }, ...(p.caption ? { caption: p.caption } : {}) })
				sent.push({ method: 'sendDocument', chatId, messageId: m.message_id, caption: typeof p.caption === 'string' ? p.caption : undefined, fileName: file?.name, fileBytes: bytes.length, fileSha256: createHash('sha256').update(bytes).digest('hex'), at: Date.now() })
				return ok(m)
			}
			default:
				return fail(404, 'Not Found: method not found')
		}
	}

	async function readParams(req: http.IncomingMessage, url: URL, raw: Buffer) {
		const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
		const params: Record<string, unknown> = Object.fromEntries(url.searchParams)
		let file: { name: string; bytes: Buffer } | null = null
		if (type === 'application/json' && raw.length) Object.assign(params, JSON.parse(raw.toString('utf8')))
		else if (type === 'application/x-www-form-urlencoded') Object.assign(params, Object.fromEntries(new URLSearchParams(raw.toString('utf8'))))
		else if (type === 'multipart/form-data') {
			for (const part of parseMultipart(raw, String(req.headers['content-type']))) {
				if (part.filename === undefined) params[part.name] = part.body.toString('utf8')
				else file = { name: part.filename, bytes: part.body }
			}
			// grammy sends the file under a random field and the document as "attach://<field>"
			if (typeof params.document === 'string' && params.document.startsWith('attach://') && file) delete params.document
		}
		return { params, file }
	}

	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = []
		req.on('data', (c: Buffer) => chunks.push(c))
		req.on('end', () => {
			void (async () => {
				const url = new URL(req.url ?? '/', 'http://sim')
				let reply: Reply
				if (url.pathname.startsWith('/__sim/') && req.method === 'POST') {
					const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {}
					reply = control(url.pathname.slice('/__sim/'.length), body)
				} else {
					const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname)
					if (!m) reply = fail(404, 'Not Found')
					else if (m[1] !== token) reply = fail(401, 'Unauthorized')
					else {
						calls[m[2]!] = (calls[m[2]!] ?? 0) + 1
						try {
							const { params, file } = await readParams(req, url, Buffer.concat(chunks))
							reply = await handle(m[2]!, params, file)
						} catch {
							reply = fail(400, "Bad Request: can't parse request")
						}
					}
				}
				const body = JSON.stringify(reply.body)
				res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
				res.end(body)
			})().catch(() => {
				if (!res.headersSent) res.writeHead(500).end()
			})
		})
	})

	const api = {
		userSends,
		/** The next n sends (to chatId, or to anyone) answer 429 with retry_after seconds. */
		flood(n: number, retryAfter: number, chatId?: number) {
			for (let i = 0; i < n; i++) floods.push({ retryAfter, chatId })
		},
		block(chatId: number) {
			blocked.add(chatId)
		},
		unblock(chatId: number) {
			blocked.delete(chatId)
		},
		sent,
		calls,
		reset() {
			sent.length = 0
			updates.length = 0
			floods = []
			blocked.clear()
			for (const k of Object.keys(calls)) delete calls[k]
		},
	}

	function control(action: string, b: Record<string, unknown>): Reply {
		switch (action) {
			case 'userSends':
				userSends(b.user as SimTgUser, String(b.text ?? ''))
				return ok(true)
			case 'flood':
				api.flood(Number(b.n ?? 1), Number(b.retryAfter ?? 1), b.chatId === undefined ? undefined : Number(b.chatId))
				return ok(true)
			case 'block':
				api.block(Number(b.chatId))
				return ok(true)
			case 'unblock':
				api.unblock(Number(b.chatId))
				return ok(true)
			case 'sent':
				return ok(sent)
			case 'reset':
				api.reset()
				return ok(true)
			default:
				return fail(404, 'unknown sim action')
		}
	}

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject)
		server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
	})
	const port = (server.address() as AddressInfo).port
	return {
		...api,
		token,
		botUsername: bot.username,
		url: `http://127.0.0.1:${port}`,
		port,
		async close() {
			for (const w of waiters) w()
			server.closeAllConnections()
			await new Promise<void>((r) => server.close(() => r()))
		},
	}
}

export type TelegramSim = Awaited<ReturnType<typeof startTelegramSim>>

/**
 * multipart/form-data as grammy writes it (core/payload.ts): "content-disposition:form-data;
 * name=\"f\";filename=a.gz" — no space after the colon and an unquoted filename, which undici's
 * strict FormData parser refuses (the real Bot API accepts it), so the parts are split here.
 */
function parseMultipart(raw: Buffer, contentType: string) {
	const boundary = /boundary=("?)([^";]+)\1/i.exec(contentType)?.[2]
	if (!boundary) throw new Error('no boundary')
	const delim = Buffer.from(`--${boundary}`)
	const parts: Array<{ name: string; filename?: string; body: Buffer }> = []
	let at = raw.indexOf(delim)
	while (at >= 0) {
		const start = at + delim.length
		if (raw.subarray(start, start + 2).toString() === '--') break
		const next = raw.indexOf(delim, start)
		if (next < 0) break
		const chunk = raw.subarray(start + 2, next - 2) // after CRLF, before CRLF
		const headerEnd = chunk.indexOf('\r\n\r\n')
		const head = chunk.subarray(0, headerEnd).toString('utf8')
		const disposition = head.split('\r\n').find((l) => /^content-disposition\s*:/i.test(l)) ?? ''
		const name = /;\s*name=("?)([^";]*)\1/i.exec(disposition)?.[2]
		const filename = /;\s*filename=("?)([^";]*)\1/i.exec(disposition)?.[2]
		if (name !== undefined) parts.push({ name, filename, body: Buffer.from(chunk.subarray(headerEnd + 4)) })
		at = next
	}
	return parts
}
