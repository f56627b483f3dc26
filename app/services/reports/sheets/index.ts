// Every export kind's sheet, by kind (filters.ts EXPORT_KINDS).
import type { ExportKind } from '../filters'
import type { SheetDef } from '../sheet'
import { invoices, ledger, orders, payments } from './money.server'
import { customers, node_usage, router_usage } from './usage.server'

export const SHEETS: Record<ExportKind, SheetDef> = { orders, invoices, payments, ledger, customers, node_usage, router_usage }
