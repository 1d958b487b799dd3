import { sql } from 'kysely';
import type { ListingEvent } from '../../domain/catalog/listing-events.js';
import type { ProjectionContext } from '../projection.js';

/** Wizard step each edit completes (1 basics … 5 deposit policy); step 6 is review and submit. */
const STEP_OF: Partial<Record<ListingEvent['type'], number>> = {
  ListingBasicsSaved: 1,
  ListingFeaturesSaved: 2,
  ListingRoomsSaved: 3,
  ListingImagesAdded: 4,
  ListingDepositPolicyChosen: 5,
};

export async function applyListingEvent(event: ListingEvent, at: Date, { trx, schema }: ProjectionContext<unknown>) {
  const listings = sql.id(schema, 'listings');
  const id = event.data.listingId;
  const set = (assignments: ReturnType<typeof sql>) =>
    sql`update ${listings} set ${assignments}, updated_at = ${at} where id = ${id}`.execute(trx);
  const step = STEP_OF[event.type];
  if (step !== undefined) {
    await set(
      sql`steps_saved = (select array_agg(distinct s order by s) from unnest(array_append(steps_saved, ${step}::int)) s)`,
    );
  }
  switch (event.type) {
    case 'ListingDraftCreated': {
      const { projectId, title, description, roomType } = event.data;
      await sql`insert into ${listings} (id, project_id, status, title, description, room_type, created_at, updated_at)
        values (${id}, ${projectId}, 'draft', ${title}, ${description}, ${roomType}, ${at}, ${at})
        on conflict (id) do nothing`.execute(trx);
      return;
    }
    case 'ListingBasicsSaved': {
      const { title, description, roomType } = event.data;
      await set(sql`title = ${title}, description = ${description}, room_type = ${roomType}`);
      return;
    }
    case 'ListingFeaturesSaved':
      await set(
        sql`amenities = ${event.data.amenities}::text[], address = ${JSON.stringify(event.data.address)}::jsonb`,
      );
      return;
    case 'ListingRoomsSaved': {
      const rooms = sql.id(schema, 'listing_rooms');
      await sql`delete from ${rooms} where listing_id = ${id}`.execute(trx);
      for (const room of event.data.rooms) {
        await sql`insert into ${rooms} (listing_id, room_id, price, area_m2, description, display_order)
          values (${id}, ${room.roomId}, ${room.price}, ${room.areaM2}, ${room.description}, ${room.displayOrder})`.execute(
          trx,
        );
      }
      return;
    }
    case 'ListingImagesAdded':
      await set(sql`images = images || ${JSON.stringify(event.data.images)}::jsonb`);
      return;
    case 'ListingImageRemoved':
      await set(sql`images = coalesce((select jsonb_agg(i order by n) from jsonb_array_elements(images) with ordinality e(i, n)
        where i ->> 'key' <> ${event.data.key}), '[]'::jsonb)`);
      return;
    case 'ListingImagesReordered':
      await set(sql`images = coalesce((select jsonb_agg(i order by array_position(${event.data.keys}::text[], i ->> 'key'))
        from jsonb_array_elements(images) i), '[]'::jsonb)`);
      return;
    case 'ListingDepositPolicyChosen':
      await set(sql`deposit_policy_id = ${event.data.depositPolicyId}`);
      return;
    case 'ListingSubmitted':
      await set(sql`status = 'pending_review', submitted_at = ${at}, reason = null, returned_fields = '{}'`);
      return;
    case 'ListingReturnedToReview':
      await set(sql`status = 'pending_review', submitted_at = ${at}, returned_fields = ${event.data.fields}::text[]`);
      return;
    case 'ListingApproved':
      await set(sql`status = 'approved', decided_at = ${at}, checklist = ${JSON.stringify(event.data.checklist)}::jsonb,
        reason = nullif(${event.data.note}, '')`);
      return;
    case 'ListingRejected':
      await set(sql`status = 'rejected', decided_at = ${at}, checklist = ${JSON.stringify(event.data.checklist)}::jsonb,
        reason = ${event.data.reason}`);
      return;
    case 'ListingPublished':
      await set(sql`status = 'published', published_at = coalesce(published_at, ${at})`);
      return;
    case 'ListingSuspended':
      await set(sql`status = 'suspended', reason = ${event.data.reason}`);
      return;
    case 'ListingReinstated':
      await set(sql`status = ${event.data.published ? 'published' : 'approved'}, reason = null`);
      return;
    case 'ListingArchived':
      await set(sql`status = 'archived'`);
      return;
  }
}
