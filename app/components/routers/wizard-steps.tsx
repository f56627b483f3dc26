import { useTranslation } from 'react-i18next'
import { cn } from '~/components/ui/cn'

/** Connect → interfaces → peers: where the admin is in the wizard. */
export function WizardSteps({ current }: { current: 1 | 2 | 3 }) {
	const { t } = useTranslation()
	return (
		<ol className="mb-4 flex flex-wrap gap-2 text-xs" aria-label={t('routers.wizard.steps')}>
			{([1, 2, 3] as const).map((n) => (
				<li key={n} aria-current={n === current ? 'step' : undefined} className={cn('rounded-full px-3 py-1 ring-1 ring-inset', n === current ? 'bg-accent text-white ring-accent' : n < current ? 'bg-gray-100 text-gray-700 ring-gray-200 dark:bg-gray-800 dark:text-gray-300 dark:ring-gray-700' : 'text-gray-500 ring-gray-200 dark:ring-gray-800')}>
					{t(`routers.wizard.step${n}`)}
				</li>
			))}
		</ol>
	)
}
