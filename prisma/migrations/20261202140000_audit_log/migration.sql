-- The audit log (MISSION rule 18, issue 14): every money movement and every remote change with its
-- actor and before/after. Writers that already call audit() (admin forms, the order CTE) keep
-- doing so; the rest are copied here by statement-level triggers from the append-only records
-- they already write, so no code path can forget and no hot path pays a round trip: one
-- INSERT … SELECT from the statement's transition table, inside the statement that wrote the rows
-- (a burst purchase's ledger post, an enforcement pass over 10k customers: one insert each).
-- A restore loads with triggers off (services/backup/snapshot.server.ts), so nothing is copied twice.

-- The kind filter of /admin/audit pages by id within one action.
CREATE INDEX "audit_events_action_id_idx" ON "audit_events"("action", "id");

-- Money: each wallet leg (a reseller's wallet or pool, an end user's wallet — the legs that carry
-- balance before/after) is one event on that wallet, named by its ledger account code
-- (entity wallet / `wallet:reseller:3`, `pool:reseller:3`, `wallet:user:9`; not entity reseller,
-- whose history on the reseller page is his profile and adjustments): ledger.<kind>, the balance
-- before and after, the amount and what it was for. Counter legs (revenue, cash:…) are the same
-- movement's other side.
CREATE FUNCTION audit_ledger_moves() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_events (at, actor_id, action, entity_type, entity_id, before, after)
    SELECT e.created_at, e.actor_id, 'ledger.' || e.kind,
        'wallet', e.account_code,
        jsonb_build_object('balance', e.balance_before::text),
        jsonb_strip_nulls(jsonb_build_object(
            'balance', e.balance_after::text, 'amount', e.amount::text, 'currency', e.currency,
            'refType', e.ref_type, 'refId', e.ref_id, 'note', e.note,
            'transactionId', e.transaction_id::text))
    FROM new_rows e
    WHERE e.balance_before IS NOT NULL;
    RETURN NULL;
END $$;
CREATE TRIGGER audit_ledger_moves AFTER INSERT ON ledger_entries
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_ledger_moves();

-- Payments: every status change (reviewer decisions, gateway settlements, expiries, reversals).
CREATE FUNCTION audit_payment_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_events (at, actor_id, action, entity_type, entity_id, before, after)
    SELECT p.created_at, p.actor_id, 'payment.' || p.to_status::text, 'payment', p.payment_id::text,
        CASE WHEN p.from_status IS NULL THEN NULL ELSE jsonb_build_object('status', p.from_status::text) END,
        jsonb_strip_nulls(jsonb_build_object('status', p.to_status::text, 'note', p.note))
    FROM new_rows p;
    RETURN NULL;
END $$;
CREATE TRIGGER audit_payment_events AFTER INSERT ON payment_events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_payment_events();

-- Customers: the events whose writers do not audit themselves — the system's own decisions
-- (no actor: automatic disable/enable by enforcement, a node that finally failed), pushed to the
-- panels by reconcile_customer, and storefront activations (an invoice paid by an end user).
-- A reseller's orders and manual actions are audited by their writers (order.*, customer.*).
CREATE FUNCTION audit_customer_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_events (at, actor_id, action, entity_type, entity_id, after)
    SELECT c.at, c.actor_id, CASE WHEN c.data ? 'invoiceId' THEN 'store.' ELSE 'customer.' END || c.kind,
        'customer', c.customer_id::text,
        jsonb_strip_nulls(jsonb_build_object('reason', c.reason, 'data', c.data))
    FROM new_rows c
    WHERE c.actor_id IS NULL OR c.data ? 'invoiceId';
    RETURN NULL;
END $$;
CREATE TRIGGER audit_customer_events AFTER INSERT ON customer_events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_customer_events();

-- MikroTik peers: every enable/disable sent to a router (quota, cycle reset, an admin), with what
-- was read back. router_actions keeps no state from before the call, so there is no "before".
CREATE FUNCTION audit_router_actions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_events (at, actor_id, action, entity_type, entity_id, after)
    SELECT r.created_at, r.actor_id, 'router.peer.' || r.action, 'router_peer', r.peer_id::text,
        jsonb_strip_nulls(jsonb_build_object('disabled', r.action = 'disable', 'reason', r.reason, 'result', r.result,
            'readBack', r.read_back, 'error', r.error, 'routerId', r.router_id))
    FROM new_rows r;
    RETURN NULL;
END $$;
CREATE TRIGGER audit_router_actions AFTER INSERT ON router_actions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_router_actions();
