import { forwardRef, type ButtonHTMLAttributes } from 'react'
import { cn } from './cn'

const VARIANTS = {
	primary: 'bg-accent text-white hover:bg-accent-strong shadow-sm',
	secondary: 'bg-white text-gray-900 ring-1 ring-gray-300 hover:bg-gray-50 dark:bg-gray-800 dark:text-gray-100 dark:ring-gray-700',
	danger: 'bg-red-600 text-white hover:bg-red-700 shadow-sm',
	ghost: 'text-gray-700 hover:bg-gray-100 dark:text-gray-200 dark:hover:bg-gray-800',
} as const

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
	variant?: keyof typeof VARIANTS
	size?: 'sm' | 'md'
	pending?: boolean
}

export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button({ variant = 'primary', size = 'md', pending, className, disabled, children, ...props }, ref) {
	return (
		<button
			ref={ref}
			disabled={disabled || pending}
			aria-busy={pending || undefined}
			className={cn(
				'inline-flex items-center justify-center gap-2 rounded-lg font-medium transition focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent disabled:cursor-not-allowed disabled:opacity-60',
				size === 'sm' ? 'px-3 py-1.5 text-sm' : 'px-4 py-2 text-sm',
				VARIANTS[variant],
				className,
			)}
			{...props}
		>
			{pending ? <span className="size-3 animate-spin rounded-full border-2 border-current border-e-transparent" aria-hidden /> : null}
			{children}
		</button>
	)
})
