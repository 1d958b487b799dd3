import type { RoomType } from '../../domain/catalog/listing-events.js';

/** A deterministic PRNG (mulberry32): the same seed value gives the same catalog. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const chance = (p: number) => next() < p;
  /** Roughly normal (sum of uniforms), mean 0, standard deviation 1. */
  const gauss = () => next() + next() + next() + next() + next() + next() - 3;
  const sample = <T>(list: readonly T[], count: number): T[] => {
    const copy = [...list];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy.slice(0, count);
  };
  return { next, int, pick, chance, gauss, sample };
}
export type Random = ReturnType<typeof prng>;

/** Centre, popularity weight and price tier (1 central … 3 outskirts) of the seeded districts, by code. */
export const DISTRICT_CENTRES: Record<string, { lat: number; lng: number; weight: number; tier: 1 | 2 | 3 }> = {
  '760': { lat: 10.7769, lng: 106.7009, weight: 5, tier: 1 },
  '770': { lat: 10.7843, lng: 106.6844, weight: 5, tier: 1 },
  '773': { lat: 10.7579, lng: 106.7013, weight: 3, tier: 2 },
  '774': { lat: 10.754, lng: 106.6634, weight: 4, tier: 2 },
  '775': { lat: 10.748, lng: 106.6352, weight: 3, tier: 2 },
  '778': { lat: 10.734, lng: 106.7218, weight: 5, tier: 2 },
  '776': { lat: 10.7241, lng: 106.6286, weight: 3, tier: 2 },
  '771': { lat: 10.7746, lng: 106.6679, weight: 5, tier: 2 },
  '772': { lat: 10.7629, lng: 106.6501, weight: 3, tier: 2 },
  '761': { lat: 10.8672, lng: 106.6413, weight: 3, tier: 3 },
  '764': { lat: 10.8387, lng: 106.6653, weight: 5, tier: 2 },
  '765': { lat: 10.8106, lng: 106.7091, weight: 6, tier: 2 },
  '766': { lat: 10.8015, lng: 106.6527, weight: 5, tier: 2 },
  '767': { lat: 10.7901, lng: 106.6282, weight: 4, tier: 2 },
  '768': { lat: 10.7992, lng: 106.6803, weight: 4, tier: 2 },
  '769': { lat: 10.8494, lng: 106.7537, weight: 6, tier: 2 },
  '777': { lat: 10.7652, lng: 106.6038, weight: 4, tier: 3 },
  '783': { lat: 10.9733, lng: 106.493, weight: 1, tier: 3 },
  '784': { lat: 10.8863, lng: 106.5923, weight: 1, tier: 3 },
  '785': { lat: 10.6874, lng: 106.5938, weight: 2, tier: 3 },
  '786': { lat: 10.695, lng: 106.7046, weight: 1, tier: 3 },
  '787': { lat: 10.4113, lng: 106.9547, weight: 0.3, tier: 3 },
  '001': { lat: 21.0341, lng: 105.8144, weight: 4, tier: 1 },
  '002': { lat: 21.0287, lng: 105.8523, weight: 3, tier: 1 },
  '003': { lat: 21.0707, lng: 105.8188, weight: 3, tier: 2 },
  '004': { lat: 21.0466, lng: 105.8886, weight: 3, tier: 2 },
  '005': { lat: 21.0362, lng: 105.7906, weight: 6, tier: 2 },
  '006': { lat: 21.0181, lng: 105.8294, weight: 6, tier: 2 },
  '007': { lat: 21.0059, lng: 105.8574, weight: 5, tier: 2 },
  '008': { lat: 20.9746, lng: 105.8631, weight: 4, tier: 2 },
  '009': { lat: 20.9935, lng: 105.8142, weight: 5, tier: 2 },
  '019': { lat: 21.0136, lng: 105.7653, weight: 4, tier: 2 },
  '021': { lat: 21.0706, lng: 105.7632, weight: 3, tier: 2 },
  '268': { lat: 20.9714, lng: 105.7788, weight: 4, tier: 2 },
  '020': { lat: 20.9435, lng: 105.8465, weight: 1.5, tier: 3 },
  '018': { lat: 21.0277, lng: 105.9377, weight: 1.5, tier: 3 },
  '017': { lat: 21.137, lng: 105.849, weight: 1, tier: 3 },
  '016': { lat: 21.2576, lng: 105.849, weight: 0.5, tier: 3 },
  '250': { lat: 21.1803, lng: 105.7163, weight: 0.5, tier: 3 },
  '269': { lat: 21.1383, lng: 105.505, weight: 0.5, tier: 3 },
  '271': { lat: 21.199, lng: 105.4231, weight: 0.3, tier: 3 },
  '272': { lat: 21.1, lng: 105.56, weight: 0.3, tier: 3 },
  '273': { lat: 21.087, lng: 105.669, weight: 0.5, tier: 3 },
  '274': { lat: 21.024, lng: 105.701, weight: 1, tier: 3 },
  '275': { lat: 20.992, lng: 105.64, weight: 0.3, tier: 3 },
  '276': { lat: 21.022, lng: 105.556, weight: 0.5, tier: 3 },
  '277': { lat: 20.92, lng: 105.7, weight: 0.5, tier: 3 },
  '278': { lat: 20.862, lng: 105.77, weight: 0.3, tier: 3 },
  '279': { lat: 20.871, lng: 105.862, weight: 0.3, tier: 3 },
  '280': { lat: 20.739, lng: 105.908, weight: 0.3, tier: 3 },
  '281': { lat: 20.726, lng: 105.78, weight: 0.3, tier: 3 },
  '282': { lat: 20.687, lng: 105.744, weight: 0.3, tier: 3 },
};

const LANDMARKS: Record<string, readonly string[]> = {
  '760': ['chợ Bến Thành', 'phố đi bộ Nguyễn Huệ', 'công viên Tao Đàn', 'Nhà thờ Đức Bà'],
  '770': ['hồ Con Rùa', 'chợ Bàn Cờ', 'công viên Lê Văn Tám'],
  '774': ['chợ An Đông', 'ĐH Y Dược', 'ĐH Sư phạm'],
  '771': ['ĐH Bách Khoa', 'Vạn Hạnh Mall', 'chợ Hòa Hưng'],
  '778': ['Phú Mỹ Hưng', 'ĐH Tôn Đức Thắng', 'Lotte Mart'],
  '765': ['Landmark 81', 'ĐH Hutech', 'chợ Bà Chiểu'],
  '766': ['sân bay Tân Sơn Nhất', 'công viên Hoàng Văn Thụ', 'chợ Tân Bình'],
  '769': ['Làng Đại học', 'ĐH Quốc gia', 'Vincom Thủ Đức', 'ĐH Sư phạm Kỹ thuật'],
  '764': ['ĐH Công nghiệp', 'công viên Gia Định', 'Emart Gò Vấp'],
  '768': ['công viên Gia Định', 'chợ Phú Nhuận'],
  '002': ['hồ Hoàn Kiếm', 'phố cổ', 'chợ Đồng Xuân'],
  '001': ['Lăng Bác', 'hồ Trúc Bạch', 'Lotte Center'],
  '005': ['ĐH Quốc gia Hà Nội', 'ĐH Sư phạm', 'công viên Cầu Giấy'],
  '006': ['ĐH Y Hà Nội', 'hồ Đống Đa', 'chợ Kim Liên'],
  '007': ['ĐH Bách Khoa Hà Nội', 'Times City', 'chợ Mơ'],
  '009': ['Royal City', 'ĐH Khoa học Tự nhiên', 'ngã tư Sở'],
  '019': ['Keangnam', 'sân vận động Mỹ Đình', 'bến xe Mỹ Đình'],
};
const GENERIC_LANDMARKS = [
  'chợ',
  'siêu thị Co.opmart',
  'trường ĐH',
  'bệnh viện',
  'công viên',
  'bến xe buýt',
  'khu công nghiệp',
];

export const STREETS_HCM = [
  'Nguyễn Trãi',
  'Lê Lợi',
  'Điện Biên Phủ',
  'Cách Mạng Tháng Tám',
  'Nguyễn Văn Cừ',
  'Võ Văn Tần',
  'Phan Xích Long',
  'Quang Trung',
  'Lê Văn Sỹ',
  'Hoàng Văn Thụ',
  'Nguyễn Thị Minh Khai',
  'Trường Chinh',
  'Cộng Hòa',
  'Xô Viết Nghệ Tĩnh',
  'Huỳnh Tấn Phát',
  'Nguyễn Hữu Thọ',
  'Lý Thường Kiệt',
  '3 Tháng 2',
  'Âu Cơ',
  'Kha Vạn Cân',
  'Võ Văn Ngân',
  'Phạm Văn Đồng',
  'Nguyễn Oanh',
  'Lê Quang Định',
  'Tô Hiến Thành',
  'Sư Vạn Hạnh',
  'Bùi Viện',
  'Pasteur',
];
export const STREETS_HANOI = [
  'Xuân Thủy',
  'Trần Duy Hưng',
  'Nguyễn Trãi',
  'Láng',
  'Tây Sơn',
  'Chùa Bộc',
  'Kim Mã',
  'Giải Phóng',
  'Bạch Mai',
  'Minh Khai',
  'Hoàng Quốc Việt',
  'Phạm Văn Đồng',
  'Lạc Long Quân',
  'Nguyễn Chí Thanh',
  'Đội Cấn',
  'Tôn Đức Thắng',
  'Trường Chinh',
  'Lê Thanh Nghị',
  'Hồ Tùng Mậu',
  'Cầu Giấy',
  'Nguyễn Khánh Toàn',
  'Hàng Bông',
];

const FEATURES = [
  'full nội thất',
  'có gác lửng',
  'ban công thoáng',
  'cửa sổ lớn',
  'mới xây',
  'giờ giấc tự do',
  'không chung chủ',
  'có thang máy',
  'WC riêng',
  'giá rẻ',
  'an ninh',
  'yên tĩnh',
  'sạch sẽ',
  'view đẹp',
];
const SENTENCES = [
  'Phòng sạch sẽ, thoáng mát, có cửa sổ đón nắng.',
  'Giờ giấc tự do, có khóa vân tay, không chung chủ.',
  'Khu vực an ninh, dân trí cao, gần chợ và siêu thị.',
  'Có chỗ để xe máy miễn phí, camera 24/7.',
  'Phù hợp sinh viên, người đi làm, gia đình nhỏ.',
  'Nội thất gồm giường, tủ quần áo, máy lạnh, nóng lạnh.',
  'Hẻm xe hơi, cách mặt tiền vài bước chân.',
  'Nhà mới sơn sửa, điện nước đầy đủ, wifi tốc độ cao.',
  'Chủ nhà thân thiện, hỗ trợ sửa chữa nhanh.',
  'Có máy giặt chung, sân phơi đồ thoáng.',
  'Bếp riêng, có thể nấu ăn thoải mái.',
  'Gần trạm xe buýt, tiện di chuyển vào trung tâm.',
];

export const ROOM_TYPE_SHARE: [RoomType, number][] = [
  ['room', 0.62],
  ['apartment', 0.24],
  ['house', 0.06],
  ['dormitory', 0.08],
];

const PRICE_RANGE: Record<RoomType, [number, number]> = {
  room: [1_500_000, 5_500_000],
  apartment: [4_000_000, 14_000_000],
  house: [8_000_000, 25_000_000],
  dormitory: [1_500_000, 3_000_000],
};
const AREA_RANGE: Record<RoomType, [number, number]> = {
  room: [12, 35],
  apartment: [25, 70],
  house: [45, 140],
  dormitory: [15, 40],
};
const TIER_FACTOR = { 1: 1.35, 2: 1, 3: 0.75 } as const;

export function roomTypeOf(random: Random): RoomType {
  let roll = random.next();
  for (const [type, share] of ROOM_TYPE_SHARE) {
    roll -= share;
    if (roll < 0) return type;
  }
  return 'room';
}

/** Monthly rent in VND (a multiple of 100,000, 1.5–25 million) and floor area in m² (0.1 precision). */
export function roomFacts(random: Random, type: RoomType, tier: 1 | 2 | 3): { price: number; areaM2: number } {
  const [low, high] = PRICE_RANGE[type];
  const raw = (low + random.next() * (high - low)) * TIER_FACTOR[tier];
  const price = Math.min(25_000_000, Math.max(1_500_000, Math.round(raw / 100_000) * 100_000));
  const [small, large] = AREA_RANGE[type];
  const areaM2 = Math.round((small + random.next() * (large - small)) * 2) / 2;
  return { price, areaM2 };
}

export interface ListingText {
  title: string;
  description: string;
}

/** A title like "Phòng trọ 25m² gần chợ Bến Thành, Quận 1" and a few sentences of description. */
export function listingText(
  random: Random,
  input: { type: RoomType; areaM2: number; price: number; districtCode: string; districtName: string; street: string },
): ListingText {
  const landmark = random.pick(LANDMARKS[input.districtCode] ?? GENERIC_LANDMARKS);
  const feature = random.pick(FEATURES);
  const m2 = `${Math.round(input.areaM2)}m²`;
  const where = input.districtName;
  const titles: Record<RoomType, string[]> = {
    room: [
      `Phòng trọ ${m2} gần ${landmark}, ${where}`,
      `Cho thuê phòng trọ ${feature} đường ${input.street}, ${where}`,
      `Phòng trọ ${feature} ${m2} gần ${landmark}`,
    ],
    apartment: [
      `Căn hộ mini ${m2} ${feature}, ${where}`,
      `Căn hộ dịch vụ ${random.int(1, 2)} phòng ngủ gần ${landmark}, ${where}`,
    ],
    house: [
      `Nhà nguyên căn ${random.int(2, 4)} tầng hẻm xe hơi ${input.street}, ${where}`,
      `Nhà nguyên căn ${m2} gần ${landmark}`,
    ],
    dormitory: [`Ký túc xá giá rẻ gần ${landmark}, ${where}`, `Sleepbox ký túc xá máy lạnh, ${where}`],
  };
  const millions = String(Math.round(input.price / 100_000) / 10).replace('.', ','); // 3,5 (Intl is slow here)
  const description = [
    ...random.sample(SENTENCES, random.int(2, 4)),
    `Giá ${millions} triệu/tháng, điện ${random.int(3, 4)}.${random.pick(['000', '500'])}đ/kWh, nước ${random.int(80, 120)}.000đ/người.`,
    `Liên hệ xem phòng gần ${landmark}.`,
  ].join(' ');
  return { title: random.pick(titles[input.type]), description };
}
