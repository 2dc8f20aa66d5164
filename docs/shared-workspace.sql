-- Chargeback Desk: a shared workspace on a PostgreSQL server (13 or newer).
-- Run once by the server's administrator in psql, as a superuser or a role with CREATEROLE and
-- CREATEDB:  psql -h SERVER -U postgres -f shared-workspace.sql
-- Change the passwords (or use your single sign-on / certificate set-up instead), and make one
-- LOGIN role per person, member of the editor or the reader role.

-- The owner creates the workspace's tables (chargeback-desk init) and upgrades them when a
-- newer version of the app first opens the workspace.
CREATE ROLE cbdesk_owner LOGIN PASSWORD 'change me';

-- Editors import, edit the policy, budgets and prices, and close months.
-- Readers (team leads) see every page, showback and export, and change nothing.
CREATE ROLE cbdesk_editor NOLOGIN;
CREATE ROLE cbdesk_reader NOLOGIN;
CREATE ROLE anna LOGIN PASSWORD 'change me' IN ROLE cbdesk_editor;
CREATE ROLE lee LOGIN PASSWORD 'change me' IN ROLE cbdesk_reader;

-- The workspace's database: UTF-8, and text in byte order as in a workspace file (the app
-- refuses a database that sorts by a language, since lists and files would come out otherwise).
CREATE DATABASE chargeback OWNER cbdesk_owner TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C';
GRANT CONNECT ON DATABASE chargeback TO cbdesk_editor, cbdesk_reader;

\connect chargeback
-- Only the owner creates tables (PostgreSQL before 15 lets everyone create in "public").
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
-- Rights on every table the owner creates, now and in later upgrades.
ALTER DEFAULT PRIVILEGES FOR ROLE cbdesk_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO cbdesk_editor;
ALTER DEFAULT PRIVILEGES FOR ROLE cbdesk_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO cbdesk_editor;
ALTER DEFAULT PRIVILEGES FOR ROLE cbdesk_owner IN SCHEMA public
    GRANT SELECT ON TABLES TO cbdesk_reader;

-- Then, as the owner:  chargeback-desk init postgresql://cbdesk_owner@SERVER/chargeback
-- (or move an existing file there:  chargeback-desk workspace copy my.cbdesk postgresql://...)
