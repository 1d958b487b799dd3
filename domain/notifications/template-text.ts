import { DomainError, invalid } from '../shared/errors.js';

/** `{{ name }}`: letters, digits and `_`, starting with a letter; spaces inside the braces allowed. */
const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/** The variable names a text uses, in order of first use. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1] as string))];
}

/**
 * Why a template text cannot be used, naming the field: braces that do not form a placeholder
 * (`{{ x`, `{{1}}`, a lone `}}`), or a variable the notification does not have.
 */
export function templateTextProblem(text: string, allowed: readonly string[], field: string): DomainError | null {
  const leftover = text.replace(PLACEHOLDER, '');
  if (leftover.includes('{{') || leftover.includes('}}')) {
    return invalid('TEMPLATE_SYNTAX', `${field}: chỗ giữ chỗ phải có dạng {{tenBien}} (chữ cái, chữ số, dấu _)`, field);
  }
  const unknown = placeholdersOf(text).find((name) => !allowed.includes(name));
  if (unknown === undefined) return null;
  return new DomainError(
    'invalid',
    'TEMPLATE_VARIABLE_UNKNOWN',
    `${field}: biến {{${unknown}}} không có trong loại thông báo này (dùng được: ${allowed.join(', ')})`,
    { field, details: { variable: unknown, allowed: [...allowed] } },
  );
}

/** Replaces each placeholder with its value; a variable without a value becomes empty. */
export function renderText(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (_match, name: string) => values[name] ?? '');
}
