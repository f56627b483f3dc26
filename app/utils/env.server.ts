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
		PUBLIC_URL: z.string().url().optional(),
		SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
		MASTER_KEY: z
			.string()
			.refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)')
			.optional(),
		MASTER_KEY_PREVIOUS: z.string().optional(),
		WORKER_IN_PROCESS: bool.default(true),
		WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
		DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
		/** Set by `npm run demo` only: shows the demo logins on the login page. */
		DEMO_MODE: bool.default(false),
		LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
	})
	.superRefine((env, ctx) => {
		if (env.NODE_ENV !== 'production') return
		for (const key of ['SESSION_SECRET', 'MASTER_KEY'] as const) {
			if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required in production' })
		}
	})

export type Env = z.infer<typeof schema> & { SESSION_SECRET: string; MASTER_KEY: string }

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
