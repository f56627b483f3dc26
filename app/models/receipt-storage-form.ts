// The receipt storage form (/admin/gateways, intents receipt_storage = save and
// receipt_storage_test = test connection). Error messages are translation keys. With store = s3
// every connection field is required — except the secret key once one is stored (a blank field
// keeps it), which the action checks since only it knows.
import { z } from 'zod'
import { optionalText } from '~/utils/validation'

export const RECEIPT_STORAGE_INTENTS = ['receipt_storage', 'receipt_storage_test'] as const

const text = (max: number) => optionalText(max).transform((v) => v || null)
const checkbox = z.preprocess((v) => v === 'on', z.boolean())

export const ReceiptStorageFormSchema = z
	.object({
		intent: z.enum(RECEIPT_STORAGE_INTENTS),
		store: z.enum(['db', 's3'], { error: 'errors.invalid' }),
		endpoint: text(300)
			.refine((v) => !v || /^https?:\/\/[^\s/?#@]+(:\d+)?(\/[^\s?#]*)?$/.test(v), { error: 'receipts.storage.errors.endpoint' })
			.transform((v) => (v ? v.replace(/\/+$/, '') : null)),
		// S3's bucket naming rules: 3–63 characters, lower-case letters, digits, dots and hyphens.
		bucket: text(63).refine((v) => !v || /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v), { error: 'receipts.storage.errors.bucket' }),
		region: text(40)
			.refine((v) => !v || /^[a-z0-9-]+$/.test(v), { error: 'receipts.storage.errors.region' })
			.transform((v) => v ?? 'us-east-1'),
		accessKeyId: text(128).refine((v) => !v || /^[\x21-\x7e]+$/.test(v), { error: 'receipts.storage.errors.accessKeyId' }),
		secretAccessKey: text(256)
			.refine((v) => !v || /^[\x21-\x7e]+$/.test(v), { error: 'receipts.storage.errors.secret' })
			.transform((v) => v ?? undefined),
		pathStyle: checkbox,
	})
	.superRefine((v, ctx) => {
		// Testing always needs a connection; saving needs one only when new files go to S3.
		if (v.store !== 's3' && v.intent !== 'receipt_storage_test') return
		if (!v.endpoint) ctx.addIssue({ code: 'custom', path: ['endpoint'], message: 'receipts.storage.errors.endpoint' })
		if (!v.bucket) ctx.addIssue({ code: 'custom', path: ['bucket'], message: 'receipts.storage.errors.bucket' })
		if (!v.accessKeyId) ctx.addIssue({ code: 'custom', path: ['accessKeyId'], message: 'receipts.storage.errors.accessKeyId' })
	})

export type ReceiptStorageForm = z.infer<typeof ReceiptStorageFormSchema>
