// postinstall: generate the Prisma client. The schema reads DATABASE_URL even to generate (and
// without it the CLI falls back to downloading a native engine), so give it a placeholder;
// generate never connects.
import { spawnSync } from 'node:child_process'

const env = { ...process.env, DATABASE_URL: process.env.DATABASE_URL || 'postgres://placeholder@127.0.0.1:5432/placeholder' }
const r = spawnSync('node_modules/.bin/prisma', ['generate'], { stdio: 'inherit', env })
process.exit(r.status ?? 1)
