// remoteUsernameOf against every panel's own username validator, re-implemented here from upstream
// (not imported from the simulators, so a simulator and this test cannot share one mistake).
import { describe, expect, it } from 'vitest'
import { ownerTagOf } from '~/services/panels/owner-tag'
import { remoteUsernameOf } from '~/services/panels/remote-username'

const validators: Record<string, (u: string) => boolean> = {
	// Gozargah/Marzban v0.8.4 app/models/user.py USERNAME_REGEXP; the column is String(34) (app/db/models.py).
	// Python's \w is Unicode, but anything it adds is refused by the ASCII class that follows.
	marzban: (u) => /^(?=\w{3,32}\b)[a-zA-Z0-9-_@.]+(?:_[a-zA-Z0-9-_@.]+)*$/.test(u) && u.length <= 34,
	// PasarGuard/panel v5.2.1 app/models/validators.py UserValidator.validate_username.
	pasarguard: (u) => u.length >= 3 && u.length <= 128 && /^[a-zA-Z0-9-_@.]+$/.test(u) && !/[-_@.]{2,}/.test(u),
	// marzneshin/marzneshin app/models/user.py USERNAME_REGEXP `^\w{3,32}$` (pydantic's Rust regex: Unicode \w);
	// the value is lower-cased first (StringConstraints(to_lower=True)), so it must already be lower-case
	// for the name we stored to be the name the panel keeps.
	marzneshin: (u) => /^[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]{3,32}$/u.test(u) && u === u.toLowerCase(),
	// WGDashboard peer names and RouterOS comments are free text; keep them printable and unquoted anyway.
	wireguard: (u) => /^[\x21-\x7e]+$/.test(u) && !/["'\\]/.test(u),
}

/** Deterministic pseudo-random names (mulberry32), so a failure is reproducible. */
function rng(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296
	}
}
const ALPHABETS = ['abcXYZ019', '-_@. !#$%^&*()+=/\\"\'', 'علیرضا محمدی ۱۲۳', '😀🚀👍🏽', 'ÀéîõüÇñß', '\t\n\u200c\u200d', 'ＢＯＢｂｏｂ１２']
function randomName(next: () => number) {
	const len = Math.floor(next() * 60)
	let s = ''
	for (let i = 0; i < len; i++) {
		const alphabet = [...ALPHABETS[Math.floor(next() * ALPHABETS.length)]!]
		s += alphabet[Math.floor(next() * alphabet.length)]
	}
	return s
}

const FIXED = ['Bob!', 'bob', 'BOB', '', '!!!', '___', '-a-', 'a', 'ab', 'علی', 'علی رضا', '😀😀', 'x'.repeat(200), 'a__b..c--d', '_lead', 'trail_', 'José Müller', 'ＢＯＢ', 'user_g7', '۱۲۳']

describe('remoteUsernameOf', () => {
	it('passes every panel validator for fixed edge cases and 2000 random names', () => {
		const next = rng(20261201)
		const names = [...FIXED, ...Array.from({ length: 2000 }, () => randomName(next))]
		for (const [i, name] of names.entries()) {
			for (const id of [1, 7, i + 1, 2_147_483_647, 9_999_999_999]) {
				const u = remoteUsernameOf(id, name)
				for (const [panel, ok] of Object.entries(validators)) expect(ok(u), `${panel} refuses ${JSON.stringify(u)} (from ${JSON.stringify(name)})`).toBe(true)
			}
		}
	})

	it('is deterministic, keeps the readable part, and never doubles a special character', () => {
		expect(remoteUsernameOf(7, 'Bob!')).toBe('bob_g7')
		expect(remoteUsernameOf(7, 'Bob!')).toBe(remoteUsernameOf(7, 'Bob!'))
		expect(remoteUsernameOf(12, 'a__b..c--d')).toBe('a_b_c_d_g12')
		expect(remoteUsernameOf(3, 'علی')).toBe('user_g3')
		expect(remoteUsernameOf(3, 'José')).toBe('jose_g3')
		expect(remoteUsernameOf(5, 'x'.repeat(200))).toBe(`${'x'.repeat(20)}_g5`)
	})

	it('is unique per customer id, also for names that look like another customer\'s result', () => {
		const seen = new Map<string, number>()
		const names = ['a', 'a_g1', 'a_g1_g1', 'A', 'a!', 'user', '', 'user_g1']
		for (let id = 1; id <= 300; id++) {
			for (const name of names) {
				const u = remoteUsernameOf(id, name)
				const owner = seen.get(u)
				expect(owner === undefined || owner === id, `${u} for customers ${owner} and ${id}`).toBe(true)
				seen.set(u, id)
				// The id is what follows the last `_g`.
				expect(Number(u.slice(u.lastIndexOf('_g') + 2))).toBe(id)
			}
		}
	})
})

describe('ownerTagOf', () => {
	it('reads only an exact marker', () => {
		expect(ownerTagOf('guardino:42')).toBe('guardino:42')
		expect(ownerTagOf('vip guardino:42 paid')).toBe('guardino:42')
		expect(ownerTagOf('')).toBeNull()
		expect(ownerTagOf(null)).toBeNull()
		expect(ownerTagOf('guardino:')).toBeNull()
		expect(ownerTagOf('guardino:42x')).toBeNull()
		expect(ownerTagOf('notguardino:42')).toBeNull()
	})
})
