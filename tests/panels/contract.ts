// The one behavioural contract every adapter/transport pair passes against its simulator over real
// sockets. Panel differences are declared through `supports`, never special-cased in here.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { isPanelError, type PanelErrorCode } from '~/services/panels/errors'
import type { AccountRef, AccountSpec, PanelAdapter, RemoteAccount } from '~/services/panels/types'
import type { SimControl } from '../../sim/base'

export interface FaultFilter {
	method?: string
	pathPrefix?: string
}

export interface ContractSupports {
	/** The adapter's timeoutMs; the timeout test asserts the failure arrives near it. Default 500. */
	timeoutMs?: number
	/** Token re-login after `control.expireTokens()`. A string skips the test with that reason. */
	tokenExpiry?: true | string
	/** Route key in `control.stats().byRoute` of the login call, to prove exactly one re-login. */
	loginRoute?: string
	/** Narrows injected faults to the account-create request (non-idempotent). Default POST. */
	createFault?: FaultFilter
	/** Narrows injected faults to the account-read request (idempotent, retried); string = skip. */
	readFault?: FaultFilter | string
	/** A spec the panel refuses; a string skips with that reason. Default: username 'a b!'. */
	invalidSpec?: AccountSpec | string
	/** Lowering the limit below usage reads back as 'limited'; a string skips with that reason. */
	limitedStatus?: true | string
	/** A past expiry reads back as 'expired'; a string skips with that reason. */
	expiredStatus?: true | string
	/** resetUsage brings the panel's counter to 0; a string skips with that reason. */
	resetUsage?: true | string
	/** revokeSubscription is required unless a skip reason is given. */
	revokeSubscription?: true | string
	/** What getLinks returns for this panel. Default 'links'. */
	links?: 'links' | 'wireguard'
	/** Usernames the panel accepts; must be unique per n. Default `ct_<run>_<n>`. */
	username?: (n: number) => string
	/** A ref for an account that does not exist. Default username + remoteId that cannot exist. */
	unknownRef?: AccountRef
}

export interface ContractSetup {
	adapter: PanelAdapter
	control: SimControl
	close(): Promise<void>
	/** Make the panel count traffic for one account. Default `control.addTraffic({[username]: bytes})`. */
	addTraffic?(ref: AccountRef, bytes: number): void | Promise<void>
	/**
	 * Make an account directly on the simulator, without a note/comment, as another tool would; returns
	 * its ref. Default: the adapter creates one from a spec without `note`.
	 */
	createForeign?(username: string): AccountRef | Promise<AccountRef>
	supports?: ContractSupports
}

const GiB = 1024n ** 3n
const DAY = 86_400_000

async function expectPanelError(p: Promise<unknown>, code: PanelErrorCode) {
	const err = await p.then(
		() => null,
		(e: unknown) => e,
	)
	expect(err, `expected PanelError(${code}), got success`).not.toBeNull()
	expect(isPanelError(err), `expected a PanelError, got ${String(err)}`).toBe(true)
	expect((err as { code: string }).code).toBe(code)
	return err as Error
}

/**
 * `supports` is read when the tests are collected, so skips (string reasons) are real vitest skips
 * with the reason in the title; a `supports` returned by `setup` is merged over it for the rest.
 */
export function runContractSuite(name: string, setupFn: () => Promise<ContractSetup>, supports: ContractSupports = {}) {
	const maybe = (reason: unknown, title: string, fn: () => Promise<void>) =>
		typeof reason === 'string' ? it.skip(`${title} (skipped: ${reason})`, fn) : it(title, fn)

	describe(`panel contract: ${name}`, () => {
		let s: ContractSetup
		let a: PanelAdapter
		let sup: ContractSupports
		let n = 0
		const run = Math.random().toString(36).slice(2, 7)
		const uname = () => (sup.username ? sup.username(++n) : `ct_${run}_${++n}`)
		const spec = (over: Partial<AccountSpec> = {}): AccountSpec => ({ username: uname(), dataLimit: 10n * GiB, expireAt: null, ...over })
		const traffic = (ref: AccountRef, bytes: number) => (s.addTraffic ? s.addTraffic(ref, bytes) : s.control.addTraffic({ [ref.username]: bytes }))

		beforeAll(async () => {
			s = await setupFn()
			a = s.adapter
			sup = { ...supports, ...s.supports }
		})
		afterEach(() => {
			s.control.clearFaults()
			s.control.setLatency(0)
		})
		afterAll(async () => {
			await a?.close?.()
			await s?.close()
		})

		it('testConnection reports a version and latency; listOptions is non-empty', async () => {
			const info = await a.testConnection()
			expect(typeof info.version).toBe('string')
			expect(info.version.length).toBeGreaterThan(0)
			expect(info.latencyMs).toBeGreaterThanOrEqual(0)
			const options = await a.listOptions()
			expect(options.length).toBeGreaterThan(0)
			for (const o of options) expect(o.id).not.toBe('')
		})

		it('creates an account and reads it back with the same limits', async () => {
			const expireAt = new Date(Math.floor((Date.now() + 30 * DAY) / 1000) * 1000)
			const sp = spec({ dataLimit: 5n * GiB, expireAt })
			const created = await a.createAccount(sp)
			expect(created.ref.username.toLowerCase()).toBe(sp.username.toLowerCase())
			expect(created.status).toBe('active')
			expect(created.usedBytes).toBe(0n)
			expect(created.dataLimit).toBe(5n * GiB)
			expect(created.expireAt?.getTime()).toBe(expireAt.getTime())
			const got = await a.getAccount(created.ref)
			expect(got.ref.username).toBe(created.ref.username)
			expect(got.dataLimit).toBe(5n * GiB)
			expect(got.expireAt?.getTime()).toBe(expireAt.getTime())
		})

		it('reads our ownership marker back on create, get and list; an account without one reads null', async () => {
			const sp = spec({ note: `guardino:${900_000 + n}` })
			const created = await a.createAccount(sp)
			const foreign = s.createForeign ? await s.createForeign(uname()) : (await a.createAccount(spec())).ref
			expect(created.ownerTag).toBe(sp.note)
			expect((await a.getAccount(created.ref)).ownerTag).toBe(sp.note)
			expect((await a.getAccount(foreign)).ownerTag).toBeNull()
			const listed = new Map<string, RemoteAccount>()
			let cursor: string | null = null
			do {
				const page = await a.listAccounts(cursor, 100)
				for (const acc of page.accounts) listed.set(acc.ref.username.toLowerCase(), acc)
				cursor = page.nextCursor
			} while (cursor !== null)
			expect(listed.get(created.ref.username.toLowerCase())?.ownerTag).toBe(sp.note)
			expect(listed.get(foreign.username.toLowerCase())?.ownerTag).toBeNull()
		})

		it('unlimited accounts read back with null limit and expiry', async () => {
			const created = await a.createAccount(spec({ dataLimit: null, expireAt: null }))
			const got = await a.getAccount(created.ref)
			expect(got.dataLimit).toBeNull()
			expect(got.expireAt).toBeNull()
		})

		it('lists every account exactly once when paging with pageSize 10', async () => {
			const prefixRefs: RemoteAccount[] = []
			for (let i = 0; i < 25; i++) prefixRefs.push(await a.createAccount(spec()))
			const wanted = new Set(prefixRefs.map((r) => r.ref.username))
			const seen = new Map<string, number>()
			let cursor: string | null = null
			let pages = 0
			do {
				const page = await a.listAccounts(cursor, 10)
				expect(page.accounts.length).toBeLessThanOrEqual(10)
				for (const acc of page.accounts) seen.set(acc.ref.username, (seen.get(acc.ref.username) ?? 0) + 1)
				cursor = page.nextCursor
				expect(++pages).toBeLessThan(1000)
			} while (cursor !== null)
			expect(pages).toBeGreaterThanOrEqual(3)
			for (const u of wanted) expect(seen.get(u), u).toBe(1)
			for (const [u, count] of seen) expect(count, `${u} listed ${count} times`).toBe(1)
		})

		it('updates data limit and expiry, and clears them again', async () => {
			const created = await a.createAccount(spec())
			const expireAt = new Date(Math.floor((Date.now() + 60 * DAY) / 1000) * 1000)
			const updated = await a.updateAccount(created.ref, { dataLimit: 20n * GiB, expireAt })
			expect(updated.dataLimit).toBe(20n * GiB)
			expect(updated.expireAt?.getTime()).toBe(expireAt.getTime())
			const got = await a.getAccount(created.ref)
			expect(got.dataLimit).toBe(20n * GiB)
			expect(got.expireAt?.getTime()).toBe(expireAt.getTime())
			expect(got.status).toBe('active')
			await a.updateAccount(created.ref, { dataLimit: null })
			const onlyLimit = await a.getAccount(created.ref)
			expect(onlyLimit.dataLimit).toBeNull()
			expect(onlyLimit.expireAt?.getTime()).toBe(expireAt.getTime())
			await a.updateAccount(created.ref, { expireAt: null })
			expect((await a.getAccount(created.ref)).expireAt).toBeNull()
		})

		it('disables and enables, each idempotently', async () => {
			const { ref } = await a.createAccount(spec())
			await a.disable(ref)
			expect((await a.getAccount(ref)).status).toBe('disabled')
			await a.disable(ref)
			expect((await a.getAccount(ref)).status).toBe('disabled')
			await a.enable(ref)
			expect((await a.getAccount(ref)).status).toBe('active')
			await a.enable(ref)
			expect((await a.getAccount(ref)).status).toBe('active')
		})

		maybe(supports.resetUsage, 'resets usage to zero after traffic', async () => {
			const { ref } = await a.createAccount(spec())
			await traffic(ref, 3_000_000)
			expect((await a.getAccount(ref)).usedBytes).toBeGreaterThanOrEqual(3_000_000n)
			await a.resetUsage(ref)
			expect((await a.getAccount(ref)).usedBytes).toBe(0n)
		})

		it('reset keeps a disabled account disabled', async () => {
			const { ref } = await a.createAccount(spec())
			await traffic(ref, 1_000_000)
			await a.disable(ref)
			await a.resetUsage(ref)
			const got = await a.getAccount(ref)
			expect(got.usedBytes).toBe(0n)
			expect(got.status).toBe('disabled')
		})

		maybe(supports.limitedStatus, 'usage at or over the limit reads as limited', async () => {
			const { ref } = await a.createAccount(spec({ dataLimit: 10n * GiB }))
			await traffic(ref, 2_000_000)
			await a.updateAccount(ref, { dataLimit: 1_000_000n })
			expect((await a.getAccount(ref)).status).toBe('limited')
		})

		maybe(supports.expiredStatus, 'a past expiry reads as expired', async () => {
			const { ref } = await a.createAccount(spec())
			await a.updateAccount(ref, { expireAt: new Date(Date.now() - DAY) })
			expect((await a.getAccount(ref)).status).toBe('expired')
		})

		it('deletes; the account is then not_found', async () => {
			const { ref } = await a.createAccount(spec())
			await a.deleteAccount(ref)
			await expectPanelError(a.getAccount(ref), 'not_found')
		})

		it('returns usable links', async () => {
			const { ref } = await a.createAccount(spec())
			const links = await a.getLinks(ref)
			if ((sup.links ?? 'links') === 'links') {
				expect(links.kind).toBe('links')
				if (links.kind !== 'links') return
				expect(links.links.length).toBeGreaterThan(0)
				for (const l of links.links) expect(l).toMatch(/^[a-z0-9+.-]+:\/\//i)
				expect(links.subscriptionUrl).toMatch(/^https?:\/\/[^/]+\/.+/)
			} else {
				expect(links.kind).toBe('wireguard')
				if (links.kind !== 'wireguard') return
				expect(links.config).toContain('[Interface]')
				expect(links.config).toContain('[Peer]')
			}
		})

		maybe(supports.revokeSubscription, 'revokeSubscription changes the links', async () => {
			expect(a.revokeSubscription).toBeTypeOf('function')
			if (!a.revokeSubscription) return
			const { ref } = await a.createAccount(spec())
			const before = await a.getLinks(ref)
			await a.revokeSubscription(ref)
			const after = await a.getLinks(ref)
			expect(JSON.stringify(after)).not.toBe(JSON.stringify(before))
		})

		it('a duplicate create is a conflict', async () => {
			const sp = spec()
			await a.createAccount(sp)
			await expectPanelError(a.createAccount(sp), 'conflict')
		})

		it('an unknown account is not_found', async () => {
			const ref = sup.unknownRef ?? { username: `nobody_${run}_x`, remoteId: '987654321' }
			await expectPanelError(a.getAccount(ref), 'not_found')
		})

		maybe(supports.invalidSpec, 'invalid input is rejected with the panel reason', async () => {
			const bad = typeof sup.invalidSpec === 'object' ? sup.invalidSpec : spec({ username: 'a b!' })
			const err = await expectPanelError(a.createAccount(bad), 'rejected')
			expect(err.message.length).toBeGreaterThan('rejected'.length)
		})

		maybe(supports.tokenExpiry, 're-logs in once after every token expired', async () => {
			const { ref } = await a.createAccount(spec())
			const before = s.control.stats().byRoute[sup.loginRoute ?? ''] ?? 0
			s.control.expireTokens()
			await a.getAccount(ref)
			await a.getAccount(ref)
			if (sup.loginRoute) expect((s.control.stats().byRoute[sup.loginRoute] ?? 0) - before).toBe(1)
		})

		it('a hung create times out (not before the adapter timeout) and is not retried', async () => {
			const limit = sup.timeoutMs ?? 500
			const faultsBefore = s.control.stats().faults
			s.control.failNext(2, 'timeout', sup.createFault ?? { method: 'POST' })
			const started = Date.now()
			await expectPanelError(a.createAccount(spec()), 'timeout')
			const elapsed = Date.now() - started
			// A lower bound only: a busy machine may take longer, never shorter. Not retried = one fault used.
			expect(elapsed).toBeGreaterThanOrEqual(limit * 0.8)
			expect(s.control.stats().faults - faultsBefore).toBe(1)
		})

		it('a create that did its work but never answered is found afterwards', async () => {
			const sp = spec()
			s.control.failNext(1, 'work_then_timeout', sup.createFault ?? { method: 'POST' })
			await expectPanelError(a.createAccount(sp), 'timeout')
			await expectPanelError(a.createAccount(sp), 'conflict')
		})

		it('a 5xx on create is server_error, not retried', async () => {
			const sp = spec()
			const faultsBefore = s.control.stats().faults
			s.control.failNext(2, 'http500', sup.createFault ?? { method: 'POST' })
			await expectPanelError(a.createAccount(sp), 'server_error')
			expect(s.control.stats().faults - faultsBefore).toBe(1)
		})

		it('a connection reset on create is unreachable', async () => {
			s.control.failNext(1, 'reset', sup.createFault ?? { method: 'POST' })
			await expectPanelError(a.createAccount(spec()), 'unreachable')
		})

		maybe(supports.readFault, 'reads are retried through a 5xx, a reset and a timeout', async () => {
			const { ref } = await a.createAccount(spec())
			const filter = typeof sup.readFault === 'object' ? sup.readFault : { method: 'GET' }
			const faultsBefore = s.control.stats().faults
			s.control.failNext(1, 'http500', filter)
			s.control.failNext(1, 'reset', filter)
			expect((await a.getAccount(ref)).ref.username).toBe(ref.username)
			s.control.failNext(1, 'timeout', filter)
			expect((await a.getAccount(ref)).ref.username).toBe(ref.username)
			expect(s.control.stats().faults - faultsBefore).toBe(3)
		})
	})
}
