/**
 * Schema `es`: the Postgres event store.
 *
 * Global order without gaps for readers: `es.append_to_stream` assigns the transaction id and the
 * global positions of a batch inside one short critical section (a session advisory lock held
 * only around the INSERT, released before COMMIT so group commit still works). Hence, among
 * appending transactions, a smaller position always means a smaller transaction id. A reader
 * that only takes rows whose `tx_id` is below the xmin of its snapshot (every transaction below
 * it has finished) therefore reads a prefix of the final order and never skips an event that
 * commits late.
 */
export const GLOBAL_APPEND_LOCK = 7_262_001;

export const eventStoreSchema = /* sql */ `
create schema if not exists es;

create table if not exists es.events (
  position        bigint generated always as identity primary key,
  event_id        uuid not null unique,
  stream_name     text not null,
  stream_revision bigint not null,
  event_type      text not null,
  data            jsonb not null,
  metadata        jsonb not null,
  created_at      timestamptz not null default clock_timestamp(),
  tx_id           xid8 not null default pg_current_xact_id(),
  unique (stream_name, stream_revision)
);

-- The batch an earlier attempt appended with these event ids (an idempotent retry), if any;
-- some ids stored and others not is not a safe retry (ES002).
create or replace function es.earlier_append(p_stream text, p_event_ids uuid[])
returns table (next_revision bigint, last_position bigint)
language plpgsql as $$
declare
  v_existing int;
  v_first bigint;
  v_count int := cardinality(p_event_ids);
begin
  select count(*), min(stream_revision) into v_existing, v_first
    from es.events where stream_name = p_stream and event_id = any(p_event_ids);
  if v_existing = v_count then
    return query select v_first + v_count - 1, e.position from es.events e
      where e.stream_name = p_stream and e.stream_revision = v_first + v_count - 1;
  elsif v_existing > 0 then
    raise exception 'partial duplicate append to %', p_stream using errcode = 'ES002';
  end if;
end;
$$;

create or replace function es.append_to_stream(
  p_stream text,
  p_expected text,           -- 'any' | 'no_stream' | 'stream_exists' | a revision
  p_event_ids uuid[],
  p_types text[],
  p_data jsonb[],
  p_metadata jsonb[]
) returns table (next_revision bigint, last_position bigint, duplicate boolean)
language plpgsql as $$
declare
  v_current bigint;
  v_last_position bigint;
  v_count int := cardinality(p_event_ids);
begin
  -- The ordering argument above needs the transaction id to be taken inside the critical section.
  if pg_current_xact_id_if_assigned() is not null then
    raise exception 'es.append_to_stream must be the first write of its transaction' using errcode = 'ES003';
  end if;

  -- Writers of one stream queue here until the holder commits; this takes no transaction id.
  perform pg_advisory_xact_lock(hashtext('es.stream'), hashtext(p_stream));

  select max(stream_revision) into v_current from es.events where stream_name = p_stream;

  if (p_expected = 'no_stream' and v_current is not null)
     or (p_expected = 'stream_exists' and v_current is null)
     or (p_expected not in ('any', 'no_stream', 'stream_exists')
         and v_current is distinct from p_expected::bigint) then
    -- An idempotent retry of an append that went through fails the check: see if it is one.
    return query select r.next_revision, r.last_position, true from es.earlier_append(p_stream, p_event_ids) r;
    if found then return; end if;
    raise exception 'wrong expected version'
      using errcode = 'ES001', detail = coalesce(v_current::text, 'no_stream');
  end if;

  perform pg_advisory_lock(${GLOBAL_APPEND_LOCK});
  begin
    insert into es.events (event_id, stream_name, stream_revision, event_type, data, metadata)
      select t.id, p_stream, coalesce(v_current, -1) + t.ord, t.typ, t.dat, t.meta
        from unnest(p_event_ids, p_types, p_data, p_metadata) with ordinality
          as t(id, typ, dat, meta, ord)
        order by t.ord;
    v_last_position := currval(pg_get_serial_sequence('es.events', 'position'));
  exception
    when unique_violation then
      perform pg_advisory_unlock(${GLOBAL_APPEND_LOCK});
      -- A retry that passed the revision check ('any', 'stream_exists', or the same n):
      -- the ids are already stored. Only this rare path pays for the duplicate lookup.
      return query select r.next_revision, r.last_position, true from es.earlier_append(p_stream, p_event_ids) r;
      if found then return; end if;
      raise;
    when others then
      perform pg_advisory_unlock(${GLOBAL_APPEND_LOCK});
      raise;
  end;
  perform pg_advisory_unlock(${GLOBAL_APPEND_LOCK});

  return query select coalesce(v_current, -1) + v_count, v_last_position, false;
end;
$$;
`;
