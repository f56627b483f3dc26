// The one place that builds Prisma's pg driver adapter, used by the app and by the Prisma CLI
// (prisma.config.ts). It applies the two fixes STACK.md records for @prisma/adapter-pg 6.19.3:
//  1. Postgres oids 18 ("char") and 19 (name) are unmapped → "could not be deserialized" during
//     migrate's introspection (prisma/orm#27403). We report them to Prisma as text.
//  2. `migrate dev` drops its scratch (shadow) database before closing the pool it opened on
//     it, and Postgres refuses. Our connectToShadowDb closes the pool first, then drops WITH (FORCE).
//  3. executeScript (how migrations are applied) splits the script on every ";" — also inside a
//     $$-quoted function body, so no migration could create a function or trigger. We send the
//     script whole: the simple query protocol runs several statements in one call, as psql does.
// A wrapper instead of a node_modules patch: it survives `npm install` with no extra tooling.
import { PrismaPg } from '@prisma/adapter-pg'
import { randomUUID } from 'node:crypto'
import pg, { type PoolConfig } from 'pg'

const TEXT_OID = 25
const UNMAPPED_TEXT_OIDS = new Set([18, 19])

export function connectionFields(url: string): PoolConfig {
	const u = new URL(url)
	return {
		host: decodeURIComponent(u.hostname),
		port: u.port ? Number(u.port) : 5432,
		user: decodeURIComponent(u.username),
		password: decodeURIComponent(u.password),
		database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
		ssl: u.searchParams.get('sslmode') === 'require' ? { rejectUnauthorized: false } : undefined,
	}
}

let patched = false
/** Patch PgQueryable.performIO (shared by the adapter and its transactions) once. */
function patchPerformIO(instance: object) {
	if (patched) return
	let proto = Object.getPrototypeOf(instance)
	while (proto && !Object.prototype.hasOwnProperty.call(proto, 'performIO')) proto = Object.getPrototypeOf(proto)
	if (!proto) return
	let scriptProto = Object.getPrototypeOf(instance)
	while (scriptProto && !Object.prototype.hasOwnProperty.call(scriptProto, 'executeScript')) scriptProto = Object.getPrototypeOf(scriptProto)
	if (scriptProto) scriptProto.executeScript = async function (this: { client: pg.PoolClient | pg.Pool; onError(e: unknown): never }, script: string) {
		try {
			await this.client.query(script)
		} catch (error) {
			this.onError(error)
		}
	}
	const original = proto.performIO
	proto.performIO = async function (...args: unknown[]) {
		const result = await original.apply(this, args)
		for (const field of result.fields ?? []) {
			if (UNMAPPED_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID
		}
		return result
	}
	patched = true
}

/** The app's pool, shared by Prisma and the raw SQL of app/utils/sql.server.ts. */
export function createPool(url: string, pool: Partial<PoolConfig> = {}) {
	return new pg.Pool({ ...connectionFields(url), ...pool })
}

/** The adapter on its own pool (the CLI), or on a given one (the app: closed with the client). */
export function createPgAdapter(url: string | pg.Pool, pool: Partial<PoolConfig> = {}) {
	const config = typeof url === 'string' ? { ...connectionFields(url), ...pool } : url.options
	const factory = typeof url === 'string' ? new PrismaPg(config) : new PrismaPg(url, { disposeExternalPool: true })
	const connect = factory.connect.bind(factory)
	factory.connect = async () => {
		const adapter = await connect()
		patchPerformIO(adapter)
		return adapter
	}
	factory.connectToShadowDb = async () => {
		const main = await factory.connect()
		// The adapter class is not exported; every connection is an instance of it.
		const Adapter = main.constructor as new (pool: pg.Pool, options: undefined, release: () => Promise<void>) => typeof main
		const database = `prisma_migrate_shadow_db_${randomUUID()}`
		await main.executeScript(`CREATE DATABASE "${database}"`)
		const shadowPool = new pg.Pool({ ...config, database })
		return new Adapter(shadowPool, undefined, async () => {
			await shadowPool.end()
			await main.executeScript(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
			await main.dispose()
		})
	}
	return factory
}
