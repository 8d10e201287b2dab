import { sql } from 'kysely';
import { precompiled } from '../../db/precompiled.js';
import { appendCall } from '../audit/log.js';

/**
 * Case writes on PostgreSQL as ONE statement (issue 17, point 2).
 *
 * A create or an action used to be 14–15 round trips to PostgreSQL (bench/pg-statements.ts); the
 * eight inside the transaction (BEGIN, key claim, counter, case, action, audit lock, audit head,
 * audit insert, stored result, COMMIT) ran while the Aktenzeichen counter row or the audit chain's
 * lock was held, so every write of one authority waited for all of them. Here the whole write is
 * one statement of data-modifying CTEs, run outside an explicit transaction (a statement is its own
 * transaction): counter upsert, case row, first action (or: conditional update and next action),
 * the idempotency key with the stored response, and the audit entry through `nb_audit_append`
 * (migration 2026-12-06T2100). Locks are taken in the order counter → audit chain, as in the
 * general path, and held only while this one statement runs and commits.
 *
 * Used for writes without a prepare hook and without four-eyes rules, when the request's audit
 * entry is the only in-transaction step (core/cases/service.ts decides); everything else takes the
 * general path (writeTransaction). Values whose text depends on the number drawn (Aktenzeichen,
 * search text, stored response) are assembled in SQL from parts computed by the service; the
 * response is stored with `aktenzeichen` as its first key.
 *
 * All parameters are cast: in `INSERT … SELECT` PostgreSQL would otherwise take them as text.
 */
export const pgCreateCase = precompiled(
  (_db, p) => sql<{ seq: number; audit_seq: number }>`
WITH num AS (
  INSERT INTO case_number_counter (authority_ags, procedure_id, year, last_seq)
  VALUES (${p('authority_ags')}::text, ${p('procedure_id')}::text, ${p('year')}::integer, 1)
  ON CONFLICT (authority_ags, procedure_id, year)
  DO UPDATE SET last_seq = case_number_counter.last_seq + 1
  RETURNING last_seq
), az AS (
  SELECT last_seq AS seq, ${p('aktenzeichenCode')}::text || ' ' || last_seq || '/' || ${p('year')}::integer AS aktenzeichen
  FROM num
), c AS (
  INSERT INTO cases (id, installation_id, procedure_id, procedure_version, authority_ags, office_type,
    year, seq, aktenzeichen, status, version, data, deadline, deadline_label, search_text, is_open,
    created_at, updated_at, created_by)
  SELECT ${p('id')}::text, ${p('installation_id')}::text, ${p('procedure_id')}::text,
    ${p('procedure_version')}::integer, ${p('authority_ags')}::text, ${p('office_type')}::text,
    ${p('year')}::integer, az.seq, az.aktenzeichen, ${p('status')}::text, ${p('version')}::integer,
    ${p('data')}::text, ${p('deadline')}::text, ${p('deadline_label')}::text,
    ${p('searchPrefix')}::text || ' ' || az.seq || '/' || ${p('year')}::integer || ${p('searchRest')}::text,
    ${p('is_open')}::integer, ${p('created_at')}::text, ${p('updated_at')}::text, ${p('created_by')}::text
  FROM az
  RETURNING id
), a AS (
  INSERT INTO case_action (id, case_id, seq, action, payload, status_after, actor, actor_name,
    idempotency_key, created_at)
  SELECT ${p('actionId')}::text, c.id, 1, ${p('action')}::text, ${p('payload')}::text,
    ${p('status')}::text, ${p('created_by')}::text, ${p('actorName')}::text, ${p('key')}::text,
    ${p('created_at')}::text
  FROM c
  RETURNING case_id
), k AS (
  INSERT INTO idempotency (key, scope, request_hash, status_code, response, created_at)
  SELECT ${p('key')}::text, ${p('scope')}::text, ${p('requestHash')}::text, 201,
    '{"aktenzeichen":' || to_json(az.aktenzeichen)::text || ',' || substr(${p('responseRest')}::text, 2),
    ${p('keyCreatedAt')}::text
  FROM az
  RETURNING key
)
SELECT az.seq, (SELECT ${appendCall(p)} FROM a) AS audit_seq FROM az`,
);

/**
 * An action as one statement: the update is conditional on the expected version; when it finds no
 * row (the case moved on), nothing else is written either and `updated` is 0.
 */
export const pgActOnCase = precompiled(
  (_db, p) => sql<{ updated: number | string; audit_seq: number | null }>`
WITH u AS (
  UPDATE cases SET status = ${p('status')}::text, version = ${p('version')}::integer,
    data = ${p('data')}::text, deadline = ${p('deadline')}::text,
    deadline_label = ${p('deadline_label')}::text, search_text = ${p('search_text')}::text,
    is_open = ${p('is_open')}::integer, updated_at = ${p('updated_at')}::text
  WHERE id = ${p('id')}::text AND version = ${p('expectedVersion')}::integer
  RETURNING id
), a AS (
  INSERT INTO case_action (id, case_id, seq, action, payload, status_after, actor, actor_name,
    idempotency_key, created_at)
  SELECT ${p('actionId')}::text, u.id, ${p('version')}::integer, ${p('action')}::text,
    ${p('payload')}::text, ${p('status')}::text, ${p('actor')}::text, ${p('actorName')}::text,
    ${p('key')}::text, ${p('updated_at')}::text
  FROM u
  RETURNING case_id
), k AS (
  INSERT INTO idempotency (key, scope, request_hash, status_code, response, created_at)
  SELECT ${p('key')}::text, ${p('scope')}::text, ${p('requestHash')}::text, 200, ${p('response')}::text,
    ${p('keyCreatedAt')}::text
  FROM u
  RETURNING key
)
SELECT (SELECT count(*) FROM u) AS updated, (SELECT ${appendCall(p)} FROM a) AS audit_seq`,
);
