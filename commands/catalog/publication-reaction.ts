import type pg from 'pg';
import type { Projection } from '../../projections/projection.js';
import { waitForProjection } from '../../projections/status.js';
import type { RecordedEvent } from '../eventstore/port.js';
import { systemMetadata } from '../metadata.js';
import type { ListingService } from './listings.js';

/** Events after which an approved listing may have become publishable. */
const TRIGGERS = [
  'KycVerified',
  'ProjectReactivated',
  'ProjectReopenApproved',
  'ProjectOwnerReassigned',
  'ListingApproved',
];

/**
 * The KYC gate's second half (SRS §2.3): an approved listing waits until its owner is verified and
 * its project active, then publishes itself. A reaction: it keeps a checkpoint like a projection
 * and sends `PublishApprovedListing` with the trigger as causation and an idempotency key derived
 * from it, so a replay appends nothing twice. Which listings to try comes from the catalog read
 * model, read only once it has caught up with the trigger; the decision itself reads the streams.
 */
export function publicationReaction(deps: { pool: pg.Pool; listings: ListingService }): Projection {
  async function approvedListings(event: RecordedEvent): Promise<string[]> {
    const data = event.data as { userId?: string; projectId?: string; listingId?: string };
    if (event.type === 'ListingApproved' && data.listingId) return [data.listingId];
    if (!(await waitForProjection(deps.pool, 'catalog', event.position, 10_000))) {
      throw new Error(`catalog read model has not reached ${event.position}`);
    }
    const { rows } = await deps.pool.query<{ id: string }>(
      `select l.id from rm.listings l join rm.projects p on p.id = l.project_id
        where l.status = 'approved' and (p.owner_id = $1 or p.id = $2)`,
      [event.type === 'KycVerified' ? (data.userId ?? null) : null, data.projectId ?? null],
    );
    return rows.map((row) => row.id);
  }

  return {
    name: 'listing-publication',
    version: 1,
    filter: { eventTypes: TRIGGERS },
    tables: [],
    async setup() {},
    async apply(events) {
      for (const event of events) {
        for (const listingId of await approvedListings(event)) {
          const metadata = {
            ...systemMetadata(event.metadata.correlationId, event.eventId),
            idempotencyKey: `publish:${event.eventId}`,
          };
          await deps.listings.handle({ type: 'PublishApprovedListing', listingId, by: 'staff' }, metadata);
        }
      }
    },
  };
}
