// The plan category form (admin): name, optional parent, sort order, exclusive flag.
import { z } from 'zod'
import { dbId, text, wholeNumber } from '~/utils/validation'
import { checkbox } from './billing-form'

export const CategoryFormSchema = z.object({
	name: text({ max: 60 }),
	parentId: z.preprocess((v) => (v === '' || v == null ? undefined : v), dbId.optional()),
	sortOrder: wholeNumber({ min: 0, max: 100_000 }).default(0),
	exclusive: checkbox,
})
export type CategoryForm = z.output<typeof CategoryFormSchema>
