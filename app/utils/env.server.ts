// The one place that reads process.env. Validated once at boot; a bad or missing variable stops
// the process with a message naming it.
import { z } from 'zod'

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')

const schema = z
	.object({
		NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
		DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
		HOST: z.string().default('0.0.0.0'),
		PORT: z.coerce.number().int().min(1).max(65535).default(3000),
		/** The hub's public base URL (https://hub.example.com): /sub links and QR codes are built from it, never from the Host header. */
		PUBLIC_URL: z.preprocess(
			(v) => (v === '' ? undefined : v),
			z
				.string()
				.url()
				.refine((v) => /^https?:\/\//.test(v), 'must be an http(s):// URL')
				.transform((v) => v.replace(/\/+$/, ''))
				.optional(),
		),
		/** Who may set X-Forwarded-For / Fly-Client-IP: off (default), a proxy hop count, or `fly`. */
		TRUST_PROXY: z
			.string()
			.default('false')
			.refine((v) => /^(false|0|fly|[1-9]\d?)$/.test(v), 'must be false, a hop count (1, 2, …) or fly')
			.transform((v): false | number | 'fly' => (v === 'fly' ? 'fly' : v === 'false' || v === '0' ? false : Number(v))),
		SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
		MASTER_KEY: z
			.string()
			.refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)')
			.optional(),
		MASTER_KEY_PREVIOUS: z.string().optional(),
		WORKER_IN_PROCESS: bool.default(true),
		WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
		/** Slots for the short jobs (reconcile, enforcement, notifications, cron), beside the bulk lane's (worker/runner.ts). */
		WORKER_FAST_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
		/** false: this process schedules no cron jobs (another process does; graphile-worker runs each tick once anyway). */
		WORKER_CRON: bool.default(true),
		/** A worker process silent this long is dead: its locked jobs are handed to the others (decision 020). */
		WORKER_DEAD_AFTER_SEC: z.coerce.number().int().min(4).max(3600).default(60),
		DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
		/** Web processes sharing the port (server/web-processes.ts); each has its own DB_POOL_SIZE pool. */
		WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
		/** Set by `npm run demo` only: shows the demo logins on the login page. */
		DEMO_MODE: bool.default(false),
		LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
		/** Where finished Excel exports are written (issue 14, reports); web and worker must share it. */
		REPORTS_DIR: z.string().min(1).default('.data/reports'),
		/** Days a finished export's file is kept; then the daily retention task deletes it and the row shows "expired". */
		REPORT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
	})
	.superRefine((env, ctx) => {
		if (env.NODE_ENV !== 'production') return
		for (const key of ['SESSION_SECRET', 'MASTER_KEY', 'PUBLIC_URL'] as const) {
			if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required in production' })
		}
	})

export type Env = z.infer<typeof schema> & { SESSION_SECRET: string; MASTER_KEY: string }

/** The base for links that leave the hub (/sub pages, QR codes); the request's origin only outside production. */
export function publicUrl(request: Request) {
	return env().PUBLIC_URL ?? new URL(request.url).origin
}

/**
 * Cookies carry `Secure` in production, except when the operator serves the hub over plain http
 * (install.sh without --domain writes PUBLIC_URL=http://IP:port): browsers drop a Secure cookie
 * set over http, so nobody could log in at all.
 */
export function secureCookies(e: Pick<Env, 'NODE_ENV' | 'PUBLIC_URL'> = env()) {
	if (e.NODE_ENV !== 'production') return false
	if (!e.PUBLIC_URL?.startsWith('http://')) return true
	// Browsers keep a Secure cookie over http only from a loopback origin (a "potentially
	// trustworthy" one): an http://localhost hub keeps Secure, an http://IP one cannot.
	const host = new URL(e.PUBLIC_URL).hostname
	return host === 'localhost' || host === '[::1]' || /^127\./.test(host)
}

// Development and tests get fixed, clearly fake secrets; production must bring its own.
const DEV_SESSION_SECRET = 'development-only-session-secret-not-for-production'
const DEV_MASTER_KEY = Buffer.alloc(32, 7).toString('base64')

export function parseEnv(source: Record<string, string | undefined>): Env {
	const result = schema.safeParse(source)
	if (!result.success) {
		const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`)
		throw new Error(`Invalid environment variables:\n${lines.join('\n')}\nSee .env.example.`)
	}
	return {
		...result.data,
		SESSION_SECRET: result.data.SESSION_SECRET ?? DEV_SESSION_SECRET,
		MASTER_KEY: result.data.MASTER_KEY ?? DEV_MASTER_KEY,
	}
}

let cached: Env | undefined
export function env(): Env {
	cached ??= parseEnv(process.env)
	return cached
}
