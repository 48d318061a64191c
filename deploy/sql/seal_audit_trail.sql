-- Run by a superuser after the migrations (deploy/local/stack.sh migrate does it; in production the
-- DBA does, once after each release): routing's timeline, and its schema, belong to a role nobody logs
-- in as, and the services' role (:service_role) may only read and append to the timeline. Without
-- ownership it can neither drop the append-only trigger, nor disable it, nor drop the table (a schema's
-- owner may drop any table in it, hence the schema too; the role keeps creating its own tables there).
-- A later migration that must change the timeline runs as a superuser.
\set ON_ERROR_STOP on
select not exists (select 1 from pg_roles where rolname = 'anxin_audit') as create_audit_role \gset
\if :create_audit_role
create role anxin_audit nologin;
\endif
alter schema routing owner to anxin_audit;
grant usage, create on schema routing to :"service_role";
alter table routing.timeline owner to anxin_audit;
alter function routing.refuse_timeline_rewrite() owner to anxin_audit;
revoke all on routing.timeline from :"service_role";
grant select, insert on routing.timeline to :"service_role";
grant usage, select on sequence routing.timeline_id_seq to :"service_role";
