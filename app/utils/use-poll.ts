import { useRevalidator } from '@remix-run/react'
import { useEffect, useRef } from 'react'

/** While `active`, reloads the route's data every `ms` (visible tab only, never two at once). */
export function usePoll(active: boolean, ms = 3000) {
	const revalidator = useRevalidator()
	const ref = useRef(revalidator)
	ref.current = revalidator
	useEffect(() => {
		if (!active) return
		const id = setInterval(() => {
			if (ref.current.state === 'idle' && document.visibilityState === 'visible') ref.current.revalidate()
		}, ms)
		return () => clearInterval(id)
	}, [active, ms])
}
