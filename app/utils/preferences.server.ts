// Theme and accent colour, persisted in a cookie so they apply before any JS runs.
import { createCookie } from '@remix-run/node'
import { z } from 'zod'
import { secureCookies } from './env.server'

export const ACCENTS = ['indigo', 'emerald', 'rose', 'amber', 'sky', 'violet'] as const
export const THEMES = ['light', 'dark', 'system'] as const

export const preferencesSchema = z.object({
	theme: z.enum(THEMES).catch('system'),
	accent: z.enum(ACCENTS).catch('indigo'),
})
export type Preferences = z.infer<typeof preferencesSchema>

export const prefsCookie = createCookie('prefs', { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies(), maxAge: 60 * 60 * 24 * 365 })

export async function getPreferences(request: Request): Promise<Preferences> {
	const raw = await prefsCookie.parse(request.headers.get('cookie'))
	return preferencesSchema.parse(raw ?? {})
}
