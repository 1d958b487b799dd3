// Form state shared by the account pages: per-field errors, one message at the top, busy flag,
// and focus on the first error after a failed submit (keyboard and screen-reader users land on it).
import { tick } from 'svelte';
import { ApiError } from './api';
import { errorText } from './locale.svelte';

type Alias<F extends string> = Partial<Record<string, F>> | ((e: ApiError) => F | undefined);

export class FormState<F extends string> {
  errors = $state<Partial<Record<F, string>>>({});
  /** An error no field owns (shown at the top of the form, role="alert"). */
  message = $state<string | null>(null);
  notice = $state<string | null>(null);
  busy = $state(false);
  /** The <form> element; bind it with `bind:this={form.element}`. */
  element = $state<HTMLElement | undefined>();
  readonly #fields: readonly F[];

  constructor(fields: readonly F[]) {
    this.#fields = fields;
  }

  clear(): void {
    this.errors = {};
    this.message = null;
    this.notice = null;
  }

  /** Shows client-side errors; true when there were any (then do not submit). */
  rejects(errors: Partial<Record<F, string | false | undefined>>): boolean {
    const found = Object.fromEntries(Object.entries(errors).filter(([, v]) => v)) as Partial<Record<F, string>>;
    this.errors = found;
    if (Object.keys(found).length === 0) return false;
    void this.focusFirstError();
    return true;
  }

  /**
   * A server error: next to the field it names (`error.field`) when the form has it, else on top.
   * `alias` renames server fields to this form's (e.g. `password` → `newPassword`).
   */
  fail(e: unknown, alias: Alias<F> = {}): void {
    const name = e instanceof ApiError ? e.fieldName : undefined;
    const renamed = typeof alias === 'function' ? (e instanceof ApiError ? alias(e) : undefined) : name && alias[name];
    const field = renamed ?? name;
    if (field && (this.#fields as readonly string[]).includes(field)) {
      this.errors = { [field as F]: errorText(e) } as Partial<Record<F, string>>;
    } else {
      this.message = errorText(e);
    }
    void this.focusFirstError();
  }

  async focusFirstError(): Promise<void> {
    await tick();
    const root = this.element;
    const target =
      root?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      root?.querySelector<HTMLElement>('[data-form-error]');
    target?.focus();
  }

  /** Runs a submit: clears errors, sets busy, routes a failure to fail(). True when it succeeded. */
  async run(action: () => Promise<void>, alias: Alias<F> = {}): Promise<boolean> {
    this.clear();
    this.busy = true;
    try {
      await action();
      return true;
    } catch (e) {
      this.fail(e, alias);
      return false;
    } finally {
      this.busy = false;
    }
  }
}

/** A same-site path to go to after sign-in (`?next=`), never another origin. */
export function safeNext(value: string | null, fallback = '/account'): string {
  return value?.startsWith('/') && !value.startsWith('//') ? value : fallback;
}

export const looksLikeEmail = (value: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim());
