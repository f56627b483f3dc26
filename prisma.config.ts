import { defineConfig } from 'prisma/config'
import { createPgAdapter } from './prisma/pg-adapter.ts'

// engine "js": Prisma's WebAssembly engine from the npm package — nothing is downloaded
// (docs/decisions/001-prisma-js-engine.md). DATABASE_URL is set by our scripts (scripts/db.ts
// starts the embedded database when it is not given).
export default defineConfig({
	experimental: { adapter: true },
	engine: 'js',
	schema: 'prisma/schema.prisma',
	migrations: { path: 'prisma/migrations' },
	adapter: async () => createPgAdapter(process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5439/guardino'),
})
