// Small form pieces used by the admin billing forms (plans, resellers, adjustments). All are
// plain inputs, so the forms work without JavaScript.
import { getCollectionProps, getSelectProps, type FieldMetadata } from '@conform-to/react'
import type { ReactNode } from 'react'
import { ErrorList, inputClass } from './forms'
import { cn } from './ui/cn'

// conform's metadata is generic over the whole form; these pieces only read its name, id and errors
type Meta = FieldMetadata<any, any, string[]>

export function SelectField({ label, meta, options, hint, className }: { label: ReactNode; meta: Meta; options: Array<{ value: string; label: string }>; hint?: ReactNode; className?: string }) {
	const errorId = meta.errors?.length ? `${meta.id}-error` : undefined
	return (
		<div className={cn('space-y-1', className)}>
			<label htmlFor={meta.id} className="block text-sm font-medium text-gray-700 dark:text-gray-300">{label}</label>
			<select {...getSelectProps(meta)} aria-describedby={errorId} className={inputClass}>
				{options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
			</select>
			{hint && !errorId ? <p className="text-xs text-gray-500">{hint}</p> : null}
			<ErrorList id={errorId} errors={meta.errors} />
		</div>
	)
}

/** Radio buttons (one of) or checkboxes (any of) for a fixed list of options. */
export function ChoiceGroup({ legend, meta, type, options, hint }: { legend: ReactNode; meta: Meta; type: 'radio' | 'checkbox'; options: Array<{ value: string; label: ReactNode }>; hint?: ReactNode }) {
	const props = getCollectionProps(meta, { type, options: options.map((o) => o.value) })
	return (
		<fieldset>
			<legend className="text-sm font-medium text-gray-700 dark:text-gray-300">{legend}</legend>
			{hint ? <p className="text-xs text-gray-500">{hint}</p> : null}
			<div className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm">
				{props.map(({ key, ...p }, i) => (
					<label key={key} className="flex min-w-0 items-center gap-2">
						<input {...p} />
						<span className="min-w-0 break-words">{options[i]!.label}</span>
					</label>
				))}
			</div>
			<ErrorList errors={meta.errors} />
		</fieldset>
	)
}

export function CheckboxField({ label, meta, hint }: { label: ReactNode; meta: Meta; hint?: ReactNode }) {
	const [props] = getCollectionProps(meta, { type: 'checkbox', options: ['on'] })
	const { key, ...p } = props!
	return (
		<div>
			<label key={key} className="flex items-start gap-2 text-sm">
				<input {...p} className="mt-0.5" />
				<span className="min-w-0">{label}</span>
			</label>
			{hint ? <p className="ms-6 text-xs text-gray-500">{hint}</p> : null}
			<ErrorList errors={meta.errors} />
		</div>
	)
}

/** A titled group of fields inside a card-like section. */
export function FormSection({ title, children }: { title: string; children: ReactNode }) {
	return (
		<section className="space-y-4 rounded-xl bg-white p-4 shadow-sm ring-1 ring-gray-200 dark:bg-gray-900 dark:ring-gray-800">
			<h2 className="text-sm font-semibold text-gray-900 dark:text-gray-100">{title}</h2>
			{children}
		</section>
	)
}
