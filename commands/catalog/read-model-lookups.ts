import type pg from 'pg';
import { amenityProblem } from '../../domain/catalog/amenity-catalog.js';
import { listAmenities } from '../../projections/catalog/amenities-queries.js';
import {
  areaUses,
  depositPolicyUses,
  getListing,
  projectOccupancy,
} from '../../projections/catalog/catalog-queries.js';
import { assignablePolicy } from '../../projections/catalog/deposit-policies-queries.js';
import type { AreaUsage } from './areas.js';
import type { DepositPolicyUsage } from './deposit-policies.js';
import type { ListingLookup } from './favorites.js';
import type { ListingLookups } from './listings.js';
import type { ProjectOccupancy } from './projects.js';

/**
 * Checks that span aggregates, answered by the catalog read models (DESIGN §5): they may lag the
 * event store by the projection lag, which these rules tolerate (an area, a policy or a project
 * in use is refused; an amenity or policy withdrawn a moment ago may still be accepted once).
 */
export function readModelLookups(pool: pg.Pool) {
  const listing: ListingLookups = {
    async amenityProblem(ids, kept) {
      const catalog = await listAmenities(pool, { includeDisabled: true });
      return amenityProblem(ids, { amenities: new Map(catalog.map((a) => [a.id, a])) }, kept);
    },
    policyAssignable: async (policyId, ownerId) => (await assignablePolicy(pool, policyId, ownerId)) !== null,
  };
  const published: ListingLookup = {
    isPublished: async (listingId) => (await getListing(pool, listingId))?.visible === true,
  };
  const areas: AreaUsage = { countUses: (areaId) => areaUses(pool, areaId) };
  const policies: DepositPolicyUsage = { countUses: (policyId) => depositPolicyUses(pool, policyId) };
  const occupancy: ProjectOccupancy = { count: (projectId) => projectOccupancy(pool, projectId) };
  return { listing, published, areas, policies, occupancy };
}
