-- lerum_revisor: the auditors' role on a governance store. SELECT only.
--
-- Run in the store's database as the role that owns the store's tables (the
-- role the application runs as when it creates them), with search_path set to
-- the store's schema (default public). It is idempotent: run it again after
-- new tables appear, though the default privileges below cover those.
--
--   psql "$OWNER_URL" -v ON_ERROR_STOP=1 -f deploy/postgres/roles.sql
--
-- lerum_revisor cannot log in; each auditor gets a login role in it, e.g.
--
--   CREATE ROLE revisor_anna LOGIN PASSWORD '...' IN ROLE lerum_revisor;
--   ALTER ROLE revisor_anna SET default_transaction_read_only = on;
--
-- (role settings are not inherited through membership, hence the second line
-- per auditor; the grants below are what actually refuse writes.)

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lerum_revisor') THEN
        CREATE ROLE lerum_revisor NOLOGIN;
    END IF;
END
$$;

COMMENT ON ROLE lerum_revisor IS
    'Revisorer: läser händelser, vyer och förseglingen; ändrar ingenting.';

DO $$
DECLARE
    store_schema text := current_schema();
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO lerum_revisor', store_schema);
    -- Every table of the store: the event table (<app>_events), the views and
    -- their tracking tables, and the seal (integrity_seals, integrity_checkpoints).
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO lerum_revisor', store_schema);
    -- Tables created later by this owner (a new view, the seal's tables at the
    -- first `audit seal`) are readable without running this file again.
    EXECUTE format(
        'ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON TABLES TO lerum_revisor', store_schema
    );
    -- Nothing but SELECT, even if something more was granted by hand before.
    EXECUTE format(
        'REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA %I '
        'FROM lerum_revisor',
        store_schema
    );
    EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM lerum_revisor', store_schema);
    -- Before PostgreSQL 15 every role could create tables in public; an
    -- auditor should not be able to add even a table of their own.
    EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC', store_schema);
END
$$;
