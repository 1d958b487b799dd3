import type { ExpertService } from '../../domain/booking/expert-events.js';
import type { ProviderSchedule, SlotPolicy } from '../../domain/booking/schedule.js';
import type { ViewingTarget } from '../../projections/booking/booking-lookups.js';

/** A provider whose time can be booked: an expert for a service, or a sales staff member for viewings. */
export interface BookableProvider {
  providerId: string;
  displayName: string;
  schedule: ProviderSchedule;
  policy: SlotPolicy;
}

export interface ExpertOffer extends BookableProvider {
  service: ExpertService;
  autoConfirm: boolean;
}

/** Where the booking engine finds providers (read models of the experts and shifts slices). */
export interface ProviderDirectory {
  /** A verified expert's active service; null when either is not bookable. */
  expertOffer(expertId: string, serviceId: string): Promise<ExpertOffer | null>;
  /** Active sales staff whose shifts cover the listing's area, each with a schedule of only those shifts. */
  viewingStaff(target: ViewingTarget): Promise<BookableProvider[]>;
  /** One sales staff member as a viewing provider (operators assigning by hand), or null. */
  salesStaff(staffId: string): Promise<BookableProvider | null>;
}
