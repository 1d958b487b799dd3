// Contracts and handovers (issue 7): contract templates (admin), contracts with OTP signing, PDF,
// hash verification and the scanned copy, handover reports, and the customer's rental journey.
// Files (PDF, scan, photos) need the bearer token, which a plain link cannot carry: they are
// fetched with apiDownload.
import { API_BASE, ApiError, apiDownload, apiGet, apiSend, saveBlob } from './api';
import { hasKey } from './i18n';
import { errorText, t } from './locale.svelte';
import type { Role } from './roles';

const enc = encodeURIComponent;
const templatesPath = `${API_BASE}/contract-templates`;
const contractsPath = `${API_BASE}/contracts`;
const handoversPath = `${API_BASE}/handovers`;

// --- Types ---

export const CONTRACT_STATUSES = ['awaiting_signatures', 'signed', 'expired', 'cancelled'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];
export const HANDOVER_STATUSES = ['not_started', 'in_progress', 'completed', 'cancelled'] as const;
export type HandoverStatus = (typeof HANDOVER_STATUSES)[number];
export type Party = 'customer' | 'owner';
export type HandoverKind = 'move_in' | 'move_out';
export const ASSET_CONDITIONS = ['good', 'needs_repair', 'broken', 'missing'] as const;
export type AssetCondition = (typeof ASSET_CONDITIONS)[number];

export type Placeholder = { name: string; description: string; sample: string };

export type TemplateSummary = {
  id: string;
  name: string;
  version: number;
  placeholders: string[];
  /** Project ids, and 'platform' for the platform-wide default. */
  defaultFor: string[];
  usageCount: number;
  updatedAt: string;
};
export type TemplateVersion = { version: number; name: string; body: string; createdAt: string };
export type TemplateDetail = TemplateSummary & { body: string; versions: TemplateVersion[] };
export type TemplatePreview = { text: string; placeholders: string[]; missing: string[] };

export type ContractListItem = {
  id: string;
  status: ContractStatus;
  customerId: string;
  customerName: string | null;
  ownerId: string;
  ownerName: string | null;
  listingId: string;
  listingTitle: string | null;
  roomId: string;
  roomName: string | null;
  projectId: string;
  projectName: string | null;
  rentVnd: number;
  depositVnd: number;
  startDate: string | null;
  endDate: string | null;
  createdAt: string;
  signedAt: string | null;
  hasScan: boolean;
};
export type ContractPage = { items: ContractListItem[]; nextCursor: string | null };

export type Signature = {
  party: Party;
  signerId: string;
  signedAt: string;
  ip: string | null;
  userAgent: string | null;
  documentSha256: string;
};
export type ScanReview = { accepted: boolean; note: string | null; reviewedBy: string; at: string };
export type ContractScan = {
  fileKey: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  uploadedAt: string;
  review: ScanReview | null;
};
export type HandoverRef = { id: string; kind: HandoverKind; status: HandoverStatus };

export type ContractDetail = ContractListItem & {
  text: string;
  sha256: string;
  missing: string[];
  values: Record<string, string>;
  clauses: string | null;
  signatures: Signature[];
  signedSha256: string | null;
  scan: ContractScan | null;
  handovers: HandoverRef[];
  myParty: Party | null;
  nextSigner: Party | null;
  cancelReason?: string | null;
};

export type ContractFilter = {
  status?: ContractStatus | '';
  roomId?: string;
  projectId?: string;
  customerId?: string;
  from?: string;
  to?: string;
  cursor?: string | null;
  limit?: number;
};
export type FieldsPatch = {
  startDate?: string | null;
  endDate?: string | null;
  clauses?: string | null;
  values?: Record<string, string>;
};

export type OtpChallenge = { challengeId: string; expiresAt: string; sentTo: string };
export type Verification = {
  matches: boolean;
  storedSha256: string;
  computedSha256: string;
  signedSha256: string | null;
};

export type Meters = { electricity: number; water: number };
export type Asset = { name: string; condition: AssetCondition; note: string | null; photoKeys: string[] };
export type Deduction = { reason: string; amountVnd: number };
export type HandoverContent = { meters: Meters; assets: Asset[]; notes: string | null; deductions: Deduction[] };

export type HandoverDetail = {
  id: string;
  kind: HandoverKind;
  status: HandoverStatus;
  contractId: string;
  roomId: string;
  roomName: string | null;
  customerId: string;
  ownerId: string;
  content: HandoverContent;
  documentSha256: string;
  signatures: Signature[];
  /** The move-in report's content, for a move-out. */
  moveIn: HandoverContent | null;
  myParty: Party | null;
  createdAt: string;
  completedAt: string | null;
  cancelReason?: string | null;
};
export type HandoverListItem = Pick<
  HandoverDetail,
  'id' | 'kind' | 'status' | 'contractId' | 'roomId' | 'createdAt' | 'completedAt'
> & { roomName?: string | null };

export const RENTAL_STEPS = ['deposit', 'contract', 'signing', 'handover', 'living'] as const;
export type RentalStep = (typeof RENTAL_STEPS)[number] | 'moved_out';
export type Rental = {
  depositId: string;
  listingId: string;
  listingTitle: string | null;
  roomName: string | null;
  deposit: { id: string; kind: 'reservation' | 'security'; status: string; amountVnd: number };
  contract: { id: string; status: ContractStatus; missing?: string[]; signedBy?: string[] } | null;
  /** The latest report not cancelled. */
  handover: { id: string; kind: HandoverKind; status: HandoverStatus } | null;
  /** The furthest step reached ('deposit': no contract yet). */
  step: RentalStep;
};

// --- Contract templates (admin) ---

export const listPlaceholders = () => apiGet<Placeholder[]>(`${templatesPath}/placeholders`);
export const listTemplates = () => apiGet<TemplateSummary[]>(templatesPath);
export const getTemplate = (id: string) => apiGet<TemplateDetail>(`${templatesPath}/${enc(id)}`);
export const createTemplate = (input: { name: string; body: string }) =>
  apiSend<{ id: string; version: number }>('POST', templatesPath, input);
export const reviseTemplate = (id: string, input: { name: string; body: string }) =>
  apiSend<{ version: number }>('PUT', `${templatesPath}/${enc(id)}`, input);
/** `projectId` null: the platform-wide default. */
export const makeTemplateDefault = (id: string, projectId: string | null) =>
  apiSend<unknown>('POST', `${templatesPath}/${enc(id)}/default`, { projectId });
export const deleteTemplate = (id: string) => apiSend<unknown>('DELETE', `${templatesPath}/${enc(id)}`);
export const previewTemplate = (body: string, signal?: AbortSignal) =>
  apiSend<TemplatePreview>('POST', `${templatesPath}/preview`, { body }, { signal });

// --- Contracts ---

function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const qs = search.toString();
  return qs ? `?${qs}` : '';
}

const contract = (id: string) => `${contractsPath}/${enc(id)}`;

export const listContracts = (filter: ContractFilter = {}) => apiGet<ContractPage>(`${contractsPath}${query(filter)}`);
export const getContract = (id: string) => apiGet<ContractDetail>(contract(id));
export const generateContract = (input: {
  depositId: string;
  templateId?: string;
  startDate?: string;
  endDate?: string;
  clauses?: string;
}) => apiSend<{ id: string }>('POST', contractsPath, input);
export const fillContractFields = (id: string, patch: FieldsPatch) =>
  apiSend<unknown>('PATCH', `${contract(id)}/fields`, patch);
export const cancelContract = (id: string, reason: string) =>
  apiSend<unknown>('POST', `${contract(id)}/cancel`, { reason });
export const verifyContract = (id: string) => apiGet<Verification>(`${contract(id)}/verify`);
export const contractPdfPath = (id: string) => `${contract(id)}/pdf`;

export async function downloadContractPdf(id: string): Promise<void> {
  const { blob, filename } = await apiDownload(contractPdfPath(id));
  saveBlob(blob, filename === 'download' ? `hop-dong-${id}.pdf` : filename);
}

export function uploadContractScan(id: string, file: File) {
  const form = new FormData();
  form.append('file', file, file.name);
  return apiSend<unknown>('POST', `${contract(id)}/scan`, form);
}
export const contractScanPath = (id: string) => `${contract(id)}/scan`;
export const reviewContractScan = (id: string, accepted: boolean, note: string | null) =>
  apiSend<unknown>('POST', `${contract(id)}/scan/review`, { accepted, note });

// --- Signing (contracts and handovers alike) ---

export type SignSubject = 'contract' | 'handover';
const subjectPath = (subject: SignSubject, id: string) =>
  subject === 'contract' ? contract(id) : `${handoversPath}/${enc(id)}`;

export const requestSigningCode = (subject: SignSubject, id: string) =>
  apiSend<OtpChallenge>('POST', `${subjectPath(subject, id)}/otp`, {});
export const signWithCode = (subject: SignSubject, id: string, challengeId: string, code: string) =>
  apiSend<{ status: string }>('POST', `${subjectPath(subject, id)}/sign`, { challengeId, code });

// --- Handovers ---

const handover = (id: string) => `${handoversPath}/${enc(id)}`;

export const listHandovers = (filter: { contractId?: string; roomId?: string; status?: HandoverStatus | '' } = {}) =>
  apiGet<HandoverListItem[]>(`${handoversPath}${query(filter)}`);
export const getHandover = (id: string) => apiGet<HandoverDetail>(handover(id));
export const openHandover = (input: { contractId: string; kind: HandoverKind; content: HandoverContent }) =>
  apiSend<{ id: string }>('POST', handoversPath, input);
export const recordHandover = (id: string, content: HandoverContent) =>
  apiSend<unknown>('PUT', handover(id), { content });
export const cancelHandover = (id: string, reason: string) =>
  apiSend<unknown>('POST', `${handover(id)}/cancel`, { reason });
export function uploadHandoverPhoto(id: string, file: File) {
  const form = new FormData();
  form.append('file', file, file.name);
  return apiSend<{ fileKey: string; url?: string }>('POST', `${handover(id)}/photos`, form);
}
/** A photo is served by its file name (the last part of its key `handovers/<id>/<name>`). */
export const handoverPhotoPath = (id: string, fileKey: string) =>
  `${handover(id)}/photos/${enc(fileKey.split('/').at(-1) ?? fileKey)}`;

// --- The customer's rentals ---

export const listMyRentals = () => apiGet<Rental[]>(`${API_BASE}/rentals/mine`);

// --- Rules the pages share (the server decides; these only choose what to show) ---

export type Tone = 'ok' | 'warn' | 'bad' | '';
export const CONTRACT_TONE: Record<ContractStatus, Tone> = {
  awaiting_signatures: 'warn',
  signed: 'ok',
  expired: '',
  cancelled: 'bad',
};
export const HANDOVER_TONE: Record<HandoverStatus, Tone> = {
  not_started: '',
  in_progress: 'warn',
  completed: 'ok',
  cancelled: 'bad',
};
export const CONDITION_TONE: Record<AssetCondition, Tone> = {
  good: 'ok',
  needs_repair: 'warn',
  broken: 'bad',
  missing: 'bad',
};

/**
 * Staff read every contract and report, review scans and write handover reports (operators with
 * `user:read`, sales and operators with `handover:create`, admins). Acting for someone is being
 * that person, never staff.
 */
export const isContractStaff = (role: Role | null | undefined, actingForSomeone: boolean) =>
  !actingForSomeone && (role === 'operator' || role === 'sales' || role === 'admin');

export const emptyContent = (): HandoverContent => ({
  meters: { electricity: 0, water: 0 },
  assets: [],
  notes: null,
  deductions: [],
});

/** `{{ Name }}` placeholders of a text, distinct, in order of first use (mirrors domain/contracts). */
export function placeholdersIn(text: string): string[] {
  const seen = new Set<string>();
  for (const match of text.matchAll(/\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g)) seen.add(match[1] as string);
  return [...seen];
}

/**
 * Runs a call whose failure a FormState shows (it reads `errorText`): the error keeps its code and
 * field, its message becomes contractErrorText's (so placeholder names and attempts left survive).
 */
export async function explained<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    const error = new ApiError(e.status, e.code, contractErrorText(e), e.field, e.details);
    error.retryAfter = e.retryAfter;
    throw error;
  }
}

/** A contract/handover API error in the UI language, naming what the server named. */
export function contractErrorText(e: unknown): string {
  if (e instanceof ApiError) {
    const key = `ct.err.${e.code}`;
    if (hasKey(key)) return t(key, errorParams(e));
  }
  return errorText(e);
}

function errorParams(e: ApiError): Record<string, string | number> {
  const details = (e.details ?? {}) as Record<string, unknown>;
  const named = /\{\{\s*([^}\s]+)\s*\}\}/.exec(e.message)?.[1];
  const list = (v: unknown) => (Array.isArray(v) ? v.join(', ') : typeof v === 'string' ? v : '');
  return {
    name: String(details.placeholder ?? details.name ?? named ?? ''),
    fields: list(details.missing ?? details.fields),
    attemptsLeft: typeof details.attemptsLeft === 'number' ? details.attemptsLeft : '?',
    uses:
      typeof details.usageCount === 'number'
        ? details.usageCount
        : typeof details.uses === 'number'
          ? details.uses
          : '?',
  };
}

/** A file size in KB/MB. */
export function fileSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A date-only value (yyyy-mm-dd) as dd/mm/yyyy, the way contracts write dates. */
export function dayText(value: string | null | undefined): string {
  if (!value) return '—';
  const [y, m, d] = value.slice(0, 10).split('-');
  return y && m && d ? `${d}/${m}/${y}` : value;
}
