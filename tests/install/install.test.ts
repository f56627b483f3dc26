// The VPS installer (install.sh) as CI can check it without root or a spare server: shellcheck
// (Debian's package), and --dry-run run as an unprivileged user in an empty directory — it must
// print every step, change nothing, and on a re-run keep the secrets it finds.
import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'

const INSTALL = path.resolve(__dirname, '../../install.sh')
const made: string[] = []
const tempDir = (prefix: string) => {
	const dir = mkdtempSync(path.join(tmpdir(), prefix))
	chmodSync(dir, 0o755) // readable by the unprivileged user the script runs as
	made.push(dir)
	return dir
}
afterAll(() => {
	for (const dir of made) rmSync(dir, { recursive: true, force: true })
})

function findShellcheck(): string {
	const which = () => spawnSync('sh', ['-c', 'command -v shellcheck'], { encoding: 'utf8' }).stdout.trim()
	if (!which() && process.getuid?.() === 0) {
		// as scripts/lib/browser.ts does for chromium: a root CI machine installs Debian's package
		execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck'], { stdio: 'inherit', timeout: 600_000 })
	}
	const found = which()
	if (!found) throw new Error('shellcheck is needed for this test: apt-get install shellcheck (or brew install shellcheck)')
	return found
}

/** install.sh as a user who could change nothing even if it tried (nobody, when we are root). */
function dryRun(args: string[], env: Record<string, string> = {}) {
	const cwd = tempDir('guardino-install-')
	const asNobody = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : []
	const cmd = [...asNobody, 'bash', '-c', `exec bash "$0" "$@" 2>&1`, INSTALL, ...args]
	const r = spawnSync(cmd[0]!, cmd.slice(1), { cwd, encoding: 'utf8', env: { NODE_ENV: 'test', PATH: process.env.PATH!, HOME: cwd, ...env } })
	return { status: r.status, out: r.stdout, left: readdirSync(cwd) }
}

describe('install.sh', () => {
	test('shellcheck finds nothing (the installer and the CI entry point)', () => {
		const r = spawnSync(findShellcheck(), ['--severity=style', INSTALL, path.resolve(__dirname, '../../.ci/run')], { encoding: 'utf8' })
		expect(r.stdout + r.stderr).toBe('')
		expect(r.status).toBe(0)
	})

	test('--dry-run as an unprivileged user prints every step and changes nothing', () => {
		const r = dryRun(['--dry-run', '--domain', 'hub.example.com', '--email', 'ops@example.com'])
		expect(r.status, r.out).toBe(0)
		expect(r.left).toEqual([]) // nothing written where it ran
		for (const step of [
			/apt-get install .*postgresql.* caddy/,
			/Node\.js ≥ 20\.19/,
			/useradd --system .* guardino|user guardino exists: kept/, // kept on a machine that has the hub installed
			/create role guardino and database guardino when missing/,
			/write \/etc\/guardino\/guardino\.env/,
			/SESSION_SECRET: new/,
			/MASTER_KEY: new/,
			/PUBLIC_URL=https:\/\/hub\.example\.com/,
			/TRUST_PROXY=1/,
			/HOST=127\.0\.0\.1/,
			/rsync -a --delete .* \/opt\/guardino\//,
			/npm ci --include=dev/,
			/npm run build/,
			/npm run create-admin -- --username admin --password <secret>/,
			/write \/etc\/systemd\/system\/guardino\.service/,
			/ExecStart=\S*node --import tsx scripts\/start\.ts/,
			/systemctl enable guardino\.service/,
			/write \/etc\/caddy\/Caddyfile/,
			/hub\.example\.com \{\n\s+\|\s+encode gzip\n\s+\|\s+reverse_proxy 127\.0\.0\.1:3000/,
			/Dry run finished: nothing was changed\./,
		])
			expect(r.out).toMatch(step)
		// secrets are never printed, not even generated ones
		expect(r.out).toMatch(/SESSION_SECRET=<secret>/)
		expect(r.out).not.toMatch(/SESSION_SECRET=[0-9a-f]{16}/)
	})

	test('a re-run keeps the secrets and the database password it finds (the upgrade path)', () => {
		const dir = tempDir('guardino-env-')
		const envFile = path.join(dir, 'guardino.env')
		writeFileSync(envFile, 'SESSION_SECRET=kept-session-secret-0123456789abcdef0123\nMASTER_KEY=a2VwdC1tYXN0ZXIta2V5LTAxMjM0NTY3ODlhYmNkZWY=\nDATABASE_URL=postgres://guardino:abc123@127.0.0.1:5432/guardino\nPUBLIC_URL=http://203.0.113.10:3000\n')
		chmodSync(envFile, 0o644)
		const r = dryRun(['--dry-run'], { GUARDINO_ENV_FILE: envFile })
		expect(r.status, r.out).toBe(0)
		expect(r.out).toMatch(/password from .*guardino\.env: kept/)
		for (const k of ['SESSION_SECRET', 'MASTER_KEY', 'PUBLIC_URL']) expect(r.out).toContain(`${k}: kept`)
		expect(r.out).toContain('PUBLIC_URL=http://203.0.113.10:3000')
		expect(r.out).toContain('TRUST_PROXY=false') // no --domain: nothing in front
		expect(r.out).not.toMatch(/Caddy/)
	})

	test('without systemd as PID 1 (a container) PostgreSQL and the hub start directly, the hub in the background', () => {
		const r = dryRun(['--dry-run', '--port', '3405'], { GUARDINO_SYSTEMD: 'no' })
		expect(r.status, r.out).toBe(0)
		expect(r.left).toEqual([])
		expect(r.out).toMatch(/no systemd as PID 1/)
		expect(r.out).toMatch(/\$ pg_ctlcluster \S+ main start/)
		expect(r.out).toMatch(/write \/etc\/systemd\/system\/guardino\.service/) // still written, for a later boot with systemd
		expect(r.out).toMatch(/runuser -u guardino -- setsid \S*node --import tsx scripts\/start\.ts .*guardino\.log &/)
		expect(r.out).toMatch(/Logs: tail -f \/var\/log\/guardino\/guardino\.log/)
		expect(r.out).not.toMatch(/\$ systemctl/)
		// the systemd path is the default of a dry run (what a VPS does)
		const vps = dryRun(['--dry-run'])
		expect(vps.out).toMatch(/\$ systemctl enable --now postgresql/)
		expect(vps.out).not.toMatch(/pg_ctlcluster|setsid/)
		// `npm run restore` builds a new database: the role may create one
		expect(vps.out).toMatch(/the role may create databases/)
	})

	test('bad options stop before any step', () => {
		for (const args of [['--port', '80; rm -rf /'], ['--domain', 'a b'], ['--admin-user', 'x'], ['--dir', 'relative'], ['--nope']]) {
			const r = dryRun(['--dry-run', ...args])
			expect([args.join(' '), r.status]).toEqual([args.join(' '), 2])
			expect(r.out).not.toContain('==>')
		}
	})
})
