import { cn } from './cn'

/** A loading placeholder with a moving sheen (direction follows the reading direction). */
export function Shimmer({ className }: { className?: string }) {
	return (
		<div
			aria-hidden
			className={cn(
				'shimmer relative overflow-hidden rounded-md bg-gray-200 dark:bg-gray-800',
				'after:absolute after:inset-0 after:-translate-x-full after:animate-[shimmer_1.5s_infinite] after:bg-gradient-to-r after:from-transparent after:via-white/60 after:to-transparent dark:after:via-white/10',
				className,
			)}
		/>
	)
}
