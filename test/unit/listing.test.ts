import { describe, expect, test } from 'vitest';
import { type ListingCommand, type ListingContext, listingDecider } from '../../domain/catalog/listing.js';
import type {
  ListingBasics,
  ListingEvent,
  ListingRoom,
  ModerationChecklist,
} from '../../domain/catalog/listing-events.js';
import type { ListingImage } from '../../domain/catalog/listing-images.js';
import type { Address, ProjectStatus } from '../../domain/catalog/project-events.js';
import { invalid } from '../../domain/shared/errors.js';
import { scenario, testContext } from '../support/given-when-then.js';

const listingId = 'listing-1';
const projectId = 'project-1';
const ownerId = 'owner-1';

interface Facts {
  projectStatus?: ProjectStatus;
  kyc?: boolean;
  noProject?: boolean;
  policyAssignable?: boolean;
}
const context = (actorId: string, roles: string[], facts: Facts = {}): ListingContext => ({
  ...testContext({ actorId, roles }),
  project: facts.noProject
    ? null
    : { status: facts.projectStatus ?? 'active', ownerId, roomIds: new Set(['room-1', 'room-2']) },
  ownerKycVerified: facts.kyc ?? true,
  amenityProblem: (ids) => {
    const index = ids.indexOf('sauna');
    return index < 0 ? null : invalid('AMENITY_UNKNOWN', 'Không có', `amenities.${index}`);
  },
  policyAssignable: facts.policyAssignable ?? true,
});
const byOwner = (facts?: Facts) => scenario(listingDecider, context(ownerId, ['owner'], facts));
const byOtherOwner = () => scenario(listingDecider, context('owner-2', ['owner']));
const byOperator = (facts?: Facts) => scenario(listingDecider, context('operator-1', ['operator'], facts));

type Cmd<T extends ListingCommand['type']> = Omit<Extract<ListingCommand, { type: T }>, 'listingId' | 'by'>;
const asOwner = <T extends ListingCommand['type']>(command: Cmd<T>) =>
  ({ ...command, listingId, by: 'owner' }) as ListingCommand;
const asStaff = <T extends ListingCommand['type']>(command: Cmd<T>) =>
  ({ ...command, listingId, by: 'staff' }) as ListingCommand;

const basics: ListingBasics = {
  title: 'Phòng trọ gần Đại học Bách Khoa',
  description: 'Phòng mới, có gác, giờ giấc tự do.',
  roomType: 'room',
};
const address: Address = { areaId: 'ward-1', street: '1 Đại Cồ Việt', lat: null, lng: null };
const rooms: ListingRoom[] = [
  { roomId: 'room-1', price: null, areaM2: null, description: null, displayOrder: 0 },
  { roomId: 'room-2', price: 4_000_000, areaM2: 30, description: 'Ban công', displayOrder: 1 },
];
const image = (key: string): ListingImage => ({
  key,
  thumbnailKey: `${key}.thumb.webp`,
  contentType: 'image/jpeg',
  width: 800,
  height: 600,
  size: 1000,
});
const passed: ModerationChecklist = {
  accurate: true,
  imagesClear: true,
  priceReasonable: true,
  ownerKycVerified: false,
};

const draft: ListingEvent = { type: 'ListingDraftCreated', data: { listingId, projectId, ownerId, ...basics } };
const features: ListingEvent = { type: 'ListingFeaturesSaved', data: { listingId, amenities: ['wifi'], address } };
const roomsSaved: ListingEvent = { type: 'ListingRoomsSaved', data: { listingId, rooms } };
const imagesAdded: ListingEvent = {
  type: 'ListingImagesAdded',
  data: { listingId, images: [image('listings/a.jpg'), image('listings/b.jpg')] },
};
const submitted: ListingEvent = { type: 'ListingSubmitted', data: { listingId } };
const approved = (ownerKycVerified = true, note = ''): ListingEvent => ({
  type: 'ListingApproved',
  data: { listingId, checklist: { ...passed, ownerKycVerified }, note },
});
const published: ListingEvent = { type: 'ListingPublished', data: { listingId } };
const suspended: ListingEvent = { type: 'ListingSuspended', data: { listingId, reason: 'Sai giá' } };
const archived: ListingEvent = { type: 'ListingArchived', data: { listingId } };
const complete = [draft, features, roomsSaved, imagesAdded];
const pending = [...complete, submitted];
const live = [...pending, approved(), published];

const submit = asOwner<'SubmitListing'>({ type: 'SubmitListing' });
const approve = (checklist = passed, note = '') =>
  asStaff<'ApproveListing'>({ type: 'ApproveListing', checklist, note });
const reject = (reason: string) => asStaff<'RejectListing'>({ type: 'RejectListing', checklist: passed, reason });
const publish = asStaff<'PublishApprovedListing'>({ type: 'PublishApprovedListing' });
const returned = (...fields: string[]): ListingEvent => ({
  type: 'ListingReturnedToReview',
  data: { listingId, fields },
});

describe('the wizard', () => {
  test('a draft in one of the owner’s open projects, basics checked and trimmed', () => {
    const create = (overrides: Partial<ListingBasics> = {}) =>
      asOwner<'CreateListingDraft'>({ type: 'CreateListingDraft', projectId, ...basics, ...overrides });
    byOwner()
      .given([])
      .when(create({ title: `  ${basics.title} ` }))
      .thenEmits([draft]);
    byOwner().given([draft]).when(create()).thenFails('LISTING_EXISTS');
    byOtherOwner().given([]).when(create()).thenFails('PROJECT_NOT_FOUND');
    byOwner({ noProject: true }).given([]).when(create()).thenFails('PROJECT_NOT_FOUND');
    byOwner({ projectStatus: 'archived' }).given([]).when(create()).thenFails('PROJECT_NOT_OPEN');
    byOwner({ projectStatus: 'banned' }).given([]).when(create()).thenFails('PROJECT_NOT_OPEN');
    byOwner({ projectStatus: 'suspended' }).given([]).when(create()).thenEmits([draft]);
    byOwner()
      .given([])
      .when(create({ title: ' ' }))
      .thenFails('FIELD_REQUIRED', 'title');
    byOwner()
      .given([])
      .when(create({ title: 't'.repeat(201) }))
      .thenFails('FIELD_TOO_LONG', 'title');
    byOwner()
      .given([])
      .when(create({ description: 'Quá ngắn' }))
      .thenFails('FIELD_TOO_SHORT', 'description');
    byOwner()
      .given([])
      .when(create({ roomType: 'castle' as ListingBasics['roomType'] }))
      .thenFails('ROOM_TYPE_INVALID', 'roomType');
  });

  test('another owner is told the listing does not exist; staff may edit it', () => {
    const save = asOwner<'SaveListingRooms'>({ type: 'SaveListingRooms', rooms });
    byOtherOwner().given([draft]).when(save).thenFails('LISTING_NOT_FOUND');
    byOwner().given([]).when(save).thenFails('LISTING_NOT_FOUND');
    byOperator()
      .given([draft])
      .when({ ...save, by: 'staff' })
      .thenEmits([roomsSaved]);
  });

  test('step 2: amenities without repeats and a checked address', () => {
    const save = (amenities: string[], at: Address = address) =>
      asOwner<'SaveListingFeatures'>({ type: 'SaveListingFeatures', amenities, address: at });
    byOwner()
      .given([draft])
      .when(save(['wifi', 'wifi']))
      .thenEmits([features]);
    byOwner()
      .given([draft])
      .when(save(['wifi', 'sauna']))
      .thenFails('AMENITY_UNKNOWN', 'amenities.1');
    byOwner()
      .given([draft])
      .when(save(Array.from({ length: 51 }, (_, i) => `a${i}`)))
      .thenFails('TOO_MANY_AMENITIES', 'amenities');
    byOwner()
      .given([draft])
      .when(save([], { ...address, lat: 10 }))
      .thenFails('COORDINATES_INCOMPLETE', 'address.lat');
  });

  test('step 3: rooms of the project, once each, with valid overrides named by index', () => {
    const save = (list: ListingRoom[]) => asOwner<'SaveListingRooms'>({ type: 'SaveListingRooms', rooms: list });
    const [first, second] = rooms as [ListingRoom, ListingRoom];
    byOwner().given([draft]).when(save(rooms)).thenEmits([roomsSaved]);
    byOwner()
      .given([draft])
      .when(save([first, { ...second, roomId: 'room-elsewhere' }]))
      .thenFails('ROOM_NOT_IN_PROJECT', 'rooms.1.roomId');
    byOwner()
      .given([draft])
      .when(save([first, { ...first, displayOrder: 1 }]))
      .thenFails('ROOM_DUPLICATED', 'rooms.1.roomId');
    byOwner()
      .given([draft])
      .when(save([{ ...first, price: 50_000 }]))
      .thenFails('PRICE_OUT_OF_RANGE', 'rooms.0.price');
    byOwner()
      .given([draft])
      .when(save([first, { ...second, areaM2: 12.34 }]))
      .thenFails('AREA_PRECISION', 'rooms.1.areaM2');
    byOwner()
      .given([draft])
      .when(save([{ ...first, description: '  ' }]))
      .thenFails('FIELD_REQUIRED', 'rooms.0.description');
  });

  test('step 4: images up to 30; the last one of a submitted listing stays; order lists each once', () => {
    const add = (...images: ListingImage[]) => asOwner<'AddListingImages'>({ type: 'AddListingImages', images });
    byOwner().given([draft]).when(add()).thenFails('IMAGES_REQUIRED', 'images');
    const many = Array.from({ length: 29 }, (_, i) => image(`listings/${i}.jpg`));
    byOwner()
      .given([draft, imagesAdded])
      .when(add(...many))
      .thenFails('TOO_MANY_IMAGES', 'images');
    const one: ListingEvent = { type: 'ListingImagesAdded', data: { listingId, images: [image('listings/a.jpg')] } };
    const remove = asOwner<'RemoveListingImage'>({ type: 'RemoveListingImage', key: 'listings/a.jpg' });
    byOwner()
      .given([draft, one])
      .when(remove)
      .thenEmits([{ type: 'ListingImageRemoved', data: { listingId, key: 'listings/a.jpg' } }]);
    byOwner().given([draft, features, roomsSaved, one, submitted]).when(remove).thenFails('IMAGES_REQUIRED', 'images');
    byOwner()
      .given([draft])
      .when(asOwner<'RemoveListingImage'>({ type: 'RemoveListingImage', key: 'listings/zz.jpg' }))
      .thenFails('IMAGE_NOT_FOUND');
    const reorder = (...keys: string[]) => asOwner<'ReorderListingImages'>({ type: 'ReorderListingImages', keys });
    byOwner().given(complete).when(reorder('listings/a.jpg')).thenFails('IMAGE_ORDER_INVALID', 'keys');
    byOwner()
      .given(complete)
      .when(reorder('listings/a.jpg', 'listings/a.jpg'))
      .thenFails('IMAGE_ORDER_INVALID', 'keys');
  });

  test('step 5: a deposit policy the owner may assign, or none', () => {
    const choose = (depositPolicyId: string | null) =>
      asOwner<'ChooseListingDepositPolicy'>({ type: 'ChooseListingDepositPolicy', depositPolicyId });
    byOwner({ policyAssignable: false })
      .given([draft])
      .when(choose('policy-x'))
      .thenFails('DEPOSIT_POLICY_UNAVAILABLE', 'depositPolicyId');
    byOwner({ policyAssignable: false })
      .given([draft])
      .when(choose(null))
      .thenEmits([{ type: 'ListingDepositPolicyChosen', data: { listingId, depositPolicyId: null } }]);
  });
});

describe('submission', () => {
  test('needs basics, an address, at least one room and at least one image', () => {
    byOwner().given([draft]).when(submit).thenFails('STEP_INCOMPLETE', 'address');
    byOwner().given([draft, features]).when(submit).thenFails('STEP_INCOMPLETE', 'rooms');
    const noRooms: ListingEvent = { type: 'ListingRoomsSaved', data: { listingId, rooms: [] } };
    byOwner().given([draft, features, noRooms, imagesAdded]).when(submit).thenFails('STEP_INCOMPLETE', 'rooms');
    byOwner().given([draft, features, roomsSaved]).when(submit).thenFails('IMAGES_REQUIRED', 'images');
    byOwner().given(complete).when(submit).thenEmits([submitted]);
  });

  test('only from draft or rejected, in an active project; submitting again records nothing', () => {
    byOwner({ projectStatus: 'suspended' }).given(complete).when(submit).thenFails('PROJECT_NOT_ACTIVE');
    byOwner().given(pending).when(submit).thenEmits([]);
    byOwner().given(live).when(submit).thenFails('LISTING_STATUS_CONFLICT');
    const rejected: ListingEvent = {
      type: 'ListingRejected',
      data: { listingId, checklist: { ...passed, ownerKycVerified: true }, reason: 'Ảnh mờ' },
    };
    byOwner()
      .given([...pending, rejected])
      .when(submit)
      .thenEmits([submitted]);
  });
});

describe('moderation and the KYC gate', () => {
  test('approval publishes at once with a verified owner and an active project', () => {
    byOperator()
      .given(pending)
      .when(approve(passed, '  Đạt  '))
      .thenEmits([approved(true, 'Đạt'), published]);
  });

  test('otherwise the listing waits as approved, and the checklist records the KYC state', () => {
    byOperator({ kyc: false })
      .given(pending)
      .when(approve())
      .thenEmits([approved(false)]);
    byOperator({ projectStatus: 'suspended' })
      .given(pending)
      .when(approve())
      .thenEmits([approved(true)]);
  });

  test('PublishApprovedListing publishes a waiting listing once the gate opens, and only then', () => {
    const waiting = [...pending, approved(false)];
    byOperator().given(waiting).when(publish).thenEmits([published]);
    byOperator({ kyc: false }).given(waiting).when(publish).thenEmits([]);
    byOperator({ projectStatus: 'suspended' }).given(waiting).when(publish).thenEmits([]);
    byOperator().given(live).when(publish).thenEmits([]);
    byOperator().given(pending).when(publish).thenEmits([]);
  });

  test('every checklist item must pass; a rejection needs a reason', () => {
    for (const item of ['accurate', 'imagesClear', 'priceReasonable'] as const) {
      byOperator()
        .given(pending)
        .when(approve({ ...passed, [item]: false }))
        .thenFails('CHECKLIST_INCOMPLETE', 'checklist');
    }
    byOperator().given(pending).when(reject('  ')).thenFails('FIELD_REQUIRED', 'reason');
    byOperator()
      .given(pending)
      .when(reject(' Ảnh mờ '))
      .thenEmits([
        {
          type: 'ListingRejected',
          data: { listingId, checklist: { ...passed, ownerKycVerified: true }, reason: 'Ảnh mờ' },
        },
      ]);
  });

  test('only a pending listing is moderated, and only by staff', () => {
    byOperator().given(complete).when(approve()).thenFails('LISTING_STATUS_CONFLICT');
    byOperator().given(live).when(reject('Muộn')).thenFails('LISTING_STATUS_CONFLICT');
    for (const command of [
      approve(),
      reject('Tự duyệt'),
      asStaff<'SuspendListing'>({ type: 'SuspendListing', reason: 'x' }),
    ]) {
      const refusal = byOwner()
        .given(pending)
        .when({ ...command, by: 'owner' })
        .thenFails('OPERATOR_ONLY');
      expect(refusal.status).toBe(403);
    }
  });
});

describe('edits after review', () => {
  const saveBasics = (changes: Partial<ListingBasics>) =>
    asOwner<'SaveListingBasics'>({ type: 'SaveListingBasics', ...basics, ...changes });

  test('a material edit of a published or approved listing returns it to review, naming what changed', () => {
    const saved: ListingEvent = {
      type: 'ListingBasicsSaved',
      data: { listingId, ...basics, title: 'Phòng trọ giá rẻ Bách Khoa' },
    };
    byOwner()
      .given(live)
      .when(saveBasics({ title: 'Phòng trọ giá rẻ Bách Khoa' }))
      .thenEmits([saved, returned('title')]);
    byOwner()
      .given([...pending, approved(false)])
      .when(saveBasics({ title: 'Phòng trọ giá rẻ Bách Khoa' }))
      .thenEmits([saved, returned('title')]);
    const newRooms = [{ ...(rooms[0] as ListingRoom), price: 2_000_000 }];
    byOwner()
      .given(live)
      .when(asOwner<'SaveListingRooms'>({ type: 'SaveListingRooms', rooms: newRooms }))
      .thenEmits([{ type: 'ListingRoomsSaved', data: { listingId, rooms: newRooms } }, returned('rooms')]);
    byOwner()
      .given(live)
      .when(asOwner<'SaveListingFeatures'>({ type: 'SaveListingFeatures', amenities: ['wifi', 'parking'], address }))
      .thenEmits([
        { type: 'ListingFeaturesSaved', data: { listingId, amenities: ['wifi', 'parking'], address } },
        returned('amenities'),
      ]);
    const extra = image('listings/c.jpg');
    byOwner()
      .given(live)
      .when(asOwner<'AddListingImages'>({ type: 'AddListingImages', images: [extra] }))
      .thenEmits([{ type: 'ListingImagesAdded', data: { listingId, images: [extra] } }, returned('images')]);
  });

  test('a reorder, an unchanged save or a deposit policy choice keeps it published', () => {
    byOwner()
      .given(live)
      .when(
        asOwner<'ReorderListingImages'>({ type: 'ReorderListingImages', keys: ['listings/b.jpg', 'listings/a.jpg'] }),
      )
      .thenEmits([{ type: 'ListingImagesReordered', data: { listingId, keys: ['listings/b.jpg', 'listings/a.jpg'] } }]);
    const reordered = [...rooms].reverse();
    byOwner()
      .given(live)
      .when(asOwner<'SaveListingRooms'>({ type: 'SaveListingRooms', rooms: reordered }))
      .thenEmits([{ type: 'ListingRoomsSaved', data: { listingId, rooms: reordered } }]);
    byOwner()
      .given(live)
      .when(saveBasics({ title: ` ${basics.title}  ` }))
      .thenEmits([{ type: 'ListingBasicsSaved', data: { listingId, ...basics } }]);
    byOwner()
      .given(live)
      .when(asOwner<'SaveListingFeatures'>({ type: 'SaveListingFeatures', amenities: ['wifi'], address }))
      .thenEmits([features]);
    // Read back from the event store (JSONB), the saved address has its keys in another order.
    const { lat, lng, areaId, street } = address;
    const stored: ListingEvent = {
      type: 'ListingFeaturesSaved',
      data: { listingId, amenities: ['wifi'], address: { lat, lng, areaId, street } },
    };
    byOwner()
      .given([draft, stored, roomsSaved, imagesAdded, submitted, approved(), published])
      .when(asOwner<'SaveListingFeatures'>({ type: 'SaveListingFeatures', amenities: ['wifi'], address }))
      .thenEmits([features]);
    byOwner()
      .given(live)
      .when(asOwner<'ChooseListingDepositPolicy'>({ type: 'ChooseListingDepositPolicy', depositPolicyId: 'p-1' }))
      .thenEmits([{ type: 'ListingDepositPolicyChosen', data: { listingId, depositPolicyId: 'p-1' } }]);
  });

  test('edits of a draft or a pending listing never add a return to review', () => {
    byOwner()
      .given(pending)
      .when(saveBasics({ roomType: 'apartment' }))
      .thenEmits([{ type: 'ListingBasicsSaved', data: { listingId, ...basics, roomType: 'apartment' } }]);
  });
});

describe('suspension, reinstatement and archiving', () => {
  const suspend = (reason = 'Sai giá') => asStaff<'SuspendListing'>({ type: 'SuspendListing', reason });
  const reinstate = asStaff<'ReinstateListing'>({ type: 'ReinstateListing' });

  test('staff suspend a published or approved listing with a reason', () => {
    byOperator().given(live).when(suspend(' Sai giá ')).thenEmits([suspended]);
    byOperator()
      .given([...pending, approved(false)])
      .when(suspend())
      .thenEmits([suspended]);
    byOperator().given(live).when(suspend(' ')).thenFails('FIELD_REQUIRED', 'reason');
    byOperator()
      .given([...live, suspended])
      .when(suspend())
      .thenEmits([]);
    byOperator().given(pending).when(suspend()).thenFails('LISTING_STATUS_CONFLICT');
  });

  test('reinstating publishes again when the gate is open, otherwise back to approved', () => {
    const reinstated = (isPublished: boolean): ListingEvent => ({
      type: 'ListingReinstated',
      data: { listingId, published: isPublished },
    });
    byOperator()
      .given([...live, suspended])
      .when(reinstate)
      .thenEmits([reinstated(true)]);
    byOperator({ kyc: false })
      .given([...live, suspended])
      .when(reinstate)
      .thenEmits([reinstated(false)]);
    byOperator({ projectStatus: 'suspended' })
      .given([...live, suspended, reinstated(false)])
      .when(suspend())
      .thenEmits([suspended]);
    byOperator().given(live).when(reinstate).thenFails('LISTING_STATUS_CONFLICT');
    byOwner()
      .given([...live, suspended])
      .when({ ...reinstate, by: 'owner' })
      .thenFails('OPERATOR_ONLY');
  });

  test('material edits while suspended are remembered: reinstating sends the listing to review instead', () => {
    const retitle = asOwner<'SaveListingBasics'>({ type: 'SaveListingBasics', ...basics, title: 'Phòng mới sơn lại' });
    const saved: ListingEvent = {
      type: 'ListingBasicsSaved',
      data: { listingId, ...basics, title: 'Phòng mới sơn lại' },
    };
    const marked: ListingEvent = { type: 'ListingEditedWhileSuspended', data: { listingId, fields: ['title'] } };
    byOwner()
      .given([...live, suspended])
      .when(retitle)
      .thenEmits([saved, marked]);
    byOperator()
      .given([...live, suspended, saved, marked])
      .when(reinstate)
      .thenEmits([{ type: 'ListingReturnedToReview', data: { listingId, fields: ['title'] } }]);
  });

  test('archiving is terminal: from any state, once; nothing afterwards', () => {
    for (const history of [[draft], pending, live, [...live, suspended]]) {
      byOwner()
        .given(history)
        .when(asOwner<'ArchiveListing'>({ type: 'ArchiveListing' }))
        .thenEmits([archived]);
    }
    const gone = [...live, archived];
    byOwner()
      .given(gone)
      .when(asOwner<'ArchiveListing'>({ type: 'ArchiveListing' }))
      .thenEmits([]);
    for (const command of [
      asOwner<'SaveListingBasics'>({ type: 'SaveListingBasics', ...basics, title: 'Hồi sinh' }),
      asOwner<'ReorderListingImages'>({ type: 'ReorderListingImages', keys: ['listings/b.jpg', 'listings/a.jpg'] }),
      submit,
    ]) {
      byOwner().given(gone).when(command).thenFails('LISTING_STATUS_CONFLICT');
    }
    for (const command of [approve(), reinstate, suspend()]) {
      byOperator().given(gone).when(command).thenFails('LISTING_STATUS_CONFLICT');
    }
    byOperator().given(gone).when(publish).thenEmits([]);
  });
});
