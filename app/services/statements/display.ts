// The unit a statement shows its amounts in, on the screen, in the PDF and in the Excel file
// alike: a Rial wallet follows the store's Toman/Rial display setting (settings.store
// .displayCurrency), as the invoices and the reports do; a wallet in any other currency is shown
// in it. Pure, so the screen's component imports it too.
import type { StoreSettings } from '~/models/store-settings'

export type DisplayCurrency = StoreSettings['displayCurrency']

export const shownCurrency = (walletCurrency: string, display: DisplayCurrency) => (walletCurrency === 'IRR' && display === 'IRT' ? 'IRT' : walletCurrency)
