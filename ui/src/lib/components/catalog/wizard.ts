// Helpers shared by the listing wizard's steps.

/** Whether a step's form was sent with "save and continue" (else "save draft"). */
export function wantsNext(event: SubmitEvent): boolean {
  const submitter = event.submitter as HTMLButtonElement | null;
  return submitter?.value === 'next';
}

/** The step that owns a field the server names when a submission is incomplete. */
export function stepOfField(field: string | undefined): number | null {
  const root = field?.replace(/^body[./]/, '').split(/[./]/)[0];
  if (!root) return null;
  if (['title', 'description', 'roomType'].includes(root)) return 1;
  if (['amenities', 'address'].includes(root)) return 2;
  if (root === 'rooms') return 3;
  if (['images', 'keys'].includes(root)) return 4;
  if (root === 'depositPolicyId') return 5;
  return null;
}

/**
 * Which of a form's fields a server error names: its first path segment (`amenities.3` →
 * `amenities`) or its last (`address.areaId` → `areaId`).
 */
export function fieldAlias<F extends string>(fields: readonly F[]) {
  return (e: { field?: string | undefined }): F | undefined => {
    const parts = (e.field ?? '')
      .replace(/^body[./]/, '')
      .split(/[./]/)
      .filter(Boolean);
    return [parts[0], parts[parts.length - 1]].find((p): p is F => !!p && (fields as readonly string[]).includes(p));
  };
}

/** The steps' names, in order (1 basics … 6 review). */
export const STEP_KEYS = ['wiz.step1', 'wiz.step2', 'wiz.step3', 'wiz.step4', 'wiz.step5', 'wiz.step6'] as const;
