import type { Prisma } from '../generated/prisma/client'
import { prisma, type Tx } from './db.server'

type Json = Prisma.InputJsonValue
export interface AuditInput {
	actorId: number | null
	action: string
	entityType: string
	entityId?: string | number | bigint | null
	before?: Json
	after?: Json
	ip?: string | null
}

/** Record who did what; pass the caller's transaction so the record commits with the change. */
export function audit(input: AuditInput, db: Tx | typeof prisma = prisma) {
	return db.auditEvent.create({
		data: {
			actorId: input.actorId,
			action: input.action,
			entityType: input.entityType,
			entityId: input.entityId == null ? null : String(input.entityId),
			before: input.before,
			after: input.after,
			ip: input.ip ?? null,
		},
	})
}
