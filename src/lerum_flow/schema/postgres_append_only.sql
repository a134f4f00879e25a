-- Append-only event store: refuse UPDATE, DELETE and TRUNCATE on the event
-- table and on the seal's tables, whoever asks, the application's writer too.
--
-- Why a trigger and not REVOKE UPDATE: the eventsourcing library takes
-- LOCK TABLE <app>_events IN EXCLUSIVE MODE for every insert (so that the
-- notification log never skips an event), and PostgreSQL grants that lock only
-- to roles with UPDATE (or, from 17, MAINTAIN) on the table. The writer keeps
-- UPDATE; triggers do not fire for LOCK TABLE, so inserts still work while no
-- stored row can be changed or removed.
--
-- The owner of a table can still disable its triggers, and a superuser can skip
-- them (session_replication_role = replica): run the application as a role
-- that is neither. `lerum-flow audit verify` finds what gets past anyway.
--
-- Run after the tables exist (after the application's first start and first
-- `audit seal`), as the owner, with search_path set to the store's schema:
--
--   psql "$OWNER_URL" -v ON_ERROR_STOP=1 -f deploy/postgres/append_only.sql

CREATE OR REPLACE FUNCTION lerum_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Händelselagret tar bara emot nya händelser: % på % är inte tillåtet.',
        TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

-- An insert must land above every stored event: a row slipped in below (at 0,
-- at a negative position, in a gap between two sealed ones) would sit where no
-- seal reads it. The library numbers events from a sequence under an exclusive
-- lock, so its own inserts always pass.
--
-- The function is written for the store's own event table, so that its query
-- is planned once per session: the same check built as dynamic SQL (EXECUTE,
-- planned again for every row) halved the rate of batched saves (100 events a
-- statement, measured side by side).
DO $$
BEGIN
    IF to_regclass(format('%I.%I', current_schema(), 'governance_events')) IS NOT NULL THEN
        EXECUTE format($function$
            CREATE OR REPLACE FUNCTION %I.lerum_insert_above_last() RETURNS trigger
            LANGUAGE plpgsql AS $body$
            DECLARE
                last bigint;
            BEGIN
                SELECT max(notification_id) INTO last FROM %I.governance_events;
                IF NEW.notification_id <= 0 OR NEW.notification_id <= coalesce(last, 0) THEN
                    RAISE EXCEPTION 'Händelselagret tar bara emot nya händelser efter den senaste (%%): position %% är inte tillåten.',
                        coalesce(last, 0), NEW.notification_id
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                RETURN NEW;
            END
            $body$
        $function$, current_schema(), current_schema());
        DROP TRIGGER IF EXISTS lerum_insert_above_last ON governance_events;
        CREATE TRIGGER lerum_insert_above_last BEFORE INSERT ON governance_events
            FOR EACH ROW EXECUTE FUNCTION lerum_insert_above_last();
    END IF;
END
$$;

DO $$
DECLARE
    store_table text;
BEGIN
    FOREACH store_table IN ARRAY ARRAY[
        'governance_events', 'integrity_seals', 'integrity_checkpoints',
        'integrity_link_signatures', 'integrity_checkpoint_signatures'
    ]
    LOOP
        IF to_regclass(format('%I.%I', current_schema(), store_table)) IS NULL THEN
            RAISE NOTICE 'Tabellen % finns inte än; kör filen igen när den finns.', store_table;
            CONTINUE;
        END IF;
        EXECUTE format('DROP TRIGGER IF EXISTS lerum_append_only ON %I', store_table);
        EXECUTE format(
            'CREATE TRIGGER lerum_append_only BEFORE UPDATE OR DELETE ON %I '
            'FOR EACH ROW EXECUTE FUNCTION lerum_append_only()',
            store_table
        );
        EXECUTE format('DROP TRIGGER IF EXISTS lerum_append_only_truncate ON %I', store_table);
        EXECUTE format(
            'CREATE TRIGGER lerum_append_only_truncate BEFORE TRUNCATE ON %I '
            'FOR EACH STATEMENT EXECUTE FUNCTION lerum_append_only()',
            store_table
        );
    END LOOP;
END
$$;
