import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { v7 as uuidv7 } from 'uuid';
import { GLOBAL_APPEND_LOCK } from '../../commands/eventstore/postgres-schema.js';
import { type CommandMetadata, eventMetadata } from '../../commands/metadata.js';
import { listingDecider } from '../../domain/catalog/listing.js';
import { listingStream } from '../../domain/catalog/listing-events.js';
import { projectDecider } from '../../domain/catalog/project.js';
import { projectStream } from '../../domain/catalog/project-events.js';
import { roomDecider } from '../../domain/catalog/room.js';
import { roomStream } from '../../domain/catalog/room-events.js';
import { kycDecider } from '../../domain/identity/kyc.js';
import { kycStream } from '../../domain/identity/kyc-events.js';
import { type Decider, type DecisionContext, type DomainEvent, isDomainError } from '../../domain/shared/decider.js';
import type { CatalogExecutor } from './listing-catalog-plan.js';

/** COPY text format: JSON never holds a raw tab or line break, so only backslashes need doubling. */
const escapeCopy = (json: string) => (json.includes('\\') ? json.replaceAll('\\', '\\\\') : json);

/**
 * The catalog's pure deciders run in memory, each stream's state kept between commands: the
 * same decisions and events as the command handler makes, without a store round trip per command.
 * Events (time-ordered v7 ids, so the unique index grows at its end) pile up as COPY lines of es.events (event_id, stream_name, stream_revision, event_type,
 * data, metadata) in decision order; `take()` hands them over, `forget()` drops the states (between
 * owners nothing refers back).
 */
export function memoryCatalog(clock: () => Date) {
  let lines: string[] = [];
  let events = 0;
  let commands = 0;
  const revisions = new Map<string, number>();
  const states = new Map<string, unknown>();

  function run<C, S, E extends DomainEvent, Ctx extends DecisionContext>(
    decider: Decider<C, S, E, Ctx>,
    stream: string,
    command: C,
    metadata: CommandMetadata,
    extra: (base: DecisionContext) => Ctx,
  ): Promise<void> {
    const state = (states.get(stream) as S | undefined) ?? decider.initialState();
    const now = clock();
    const decision = decider.decide(
      command,
      state,
      extra({ now, actorId: metadata.actAsId ?? metadata.actorId, roles: metadata.roles }),
    );
    if (isDomainError(decision)) return Promise.reject(decision);
    let next = state;
    let revision = revisions.get(stream) ?? -1;
    const meta = escapeCopy(JSON.stringify(eventMetadata(metadata, now, 1)));
    for (const event of decision) {
      next = decider.evolve(next, event);
      revision += 1;
      lines.push(
        `${uuidv7()}\t${stream}\t${revision}\t${event.type}\t${escapeCopy(JSON.stringify(event.data))}\t${meta}\n`,
      );
    }
    events += decision.length;
    revisions.set(stream, revision);
    states.set(stream, next);
    // Now and then let I/O run, so a COPY of the previous chunk proceeds while this one is decided.
    commands += 1;
    return commands % 256 === 0 ? new Promise((resolve) => setImmediate(resolve)) : Promise.resolve();
  }

  const stateOf = <S>(stream: string) => states.get(stream) as S | undefined;
  const exec: CatalogExecutor = {
    project: (command, metadata) =>
      run(projectDecider, projectStream(command.projectId), command, metadata, (base) => ({
        ...base,
        publishedListings: 0,
        occupiedRooms: 0,
      })),
    room: (command, metadata) => run(roomDecider, roomStream(command.roomId), command, metadata, (base) => base),
    kyc: (command, metadata) => run(kycDecider, kycStream(command.userId), command, metadata, (base) => base),
    listing: (command, metadata) => {
      const stream = listingStream(command.listingId);
      const projectId =
        command.type === 'CreateListingDraft'
          ? command.projectId
          : (stateOf<ReturnType<typeof listingDecider.initialState>>(stream)?.projectId ?? '');
      const project = stateOf<ReturnType<typeof projectDecider.initialState>>(projectStream(projectId));
      const kyc = project ? stateOf<ReturnType<typeof kycDecider.initialState>>(kycStream(project.ownerId)) : undefined;
      return run(listingDecider, stream, command, metadata, (base) => ({
        ...base,
        project: project?.exists
          ? { status: project.status, ownerId: project.ownerId, roomIds: new Set(project.rooms.keys()) }
          : null,
        ownerKycVerified: kyc?.status === 'verified',
        amenityProblem: () => null,
        policyAssignable: true,
      }));
    },
  };

  return {
    exec,
    get events() {
      return events;
    },
    take(): string[] {
      const taken = lines;
      lines = [];
      return taken;
    },
    forget() {
      states.clear();
      revisions.clear();
    },
  };
}

/**
 * Appends COPY lines to es.events in one transaction, keeping the store's invariants: the global
 * append lock is taken before the first row (so the transaction id and every position are assigned
 * inside the critical section, as es.append_to_stream does) and released before COMMIT; positions
 * come from the identity column in line order; streams and event ids are new. Subscribers are woken
 * afterwards.
 */
export async function copyIntoEventStore(pool: pg.Pool, lines: string[]): Promise<void> {
  if (lines.length === 0) return;
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('select pg_advisory_lock($1)', [GLOBAL_APPEND_LOCK]);
    const copy = client.query(
      copyFrom('copy es.events (event_id, stream_name, stream_revision, event_type, data, metadata) from stdin'),
    );
    const done = new Promise<void>((resolve, reject) => {
      copy.on('finish', () => resolve());
      copy.on('error', reject);
    });
    const step = 2000;
    for (let i = 0; i < lines.length; i += step) {
      if (!copy.write(lines.slice(i, i + step).join(''))) await once(copy, 'drain');
    }
    copy.end();
    await done;
    await client.query('select pg_advisory_unlock($1)', [GLOBAL_APPEND_LOCK]);
    await client.query('commit');
    await client.query(`select pg_notify('es_events', '')`);
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    await client.query('select pg_advisory_unlock_all()').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
