// The per-request CSP nonce (server/middleware.ts) for the inline scripts the app renders. On the
// client the value is '' — browsers hide a nonce from the DOM, and it is only needed server-side.
import { createContext, useContext } from 'react'

export const NonceContext = createContext<string>('')
export const NonceProvider = NonceContext.Provider
export const useNonce = () => useContext(NonceContext)
