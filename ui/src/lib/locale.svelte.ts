// The current UI language (reactive), remembered in localStorage, and the t() lookup.
import { ApiError } from './api';
import { dictionaries, hasKey, isLang, type Lang, type MessageKey } from './i18n';

const STORAGE_KEY = 'ui.lang';

function initialLang(): Lang {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (isLang(saved)) return saved;
  } catch {
    // storage unavailable (privacy mode): use the default
  }
  return 'vi';
}

export const locale = $state<{ lang: Lang }>({ lang: initialLang() });

export function setLang(lang: Lang): void {
  locale.lang = lang;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // not remembered; still switched for this page view
  }
}

export function toggleLang(): void {
  setLang(locale.lang === 'vi' ? 'en' : 'vi');
}

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = dictionaries[locale.lang][key];
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** A message for an error: the translated text of a known API code, else the server's message. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'VALIDATION_FAILED') {
      const byField = `err.invalid.${e.fieldName}`;
      if (hasKey(byField)) return t(byField);
    }
    // The server states its password rule in Vietnamese; keep its exact words.
    if (e.code === 'PASSWORD_WEAK' && locale.lang === 'vi' && e.message) return e.message;
    if ((e.code === 'TOO_MANY_ATTEMPTS' || e.code === 'RATE_LIMITED') && e.retryAfter === undefined) return e.message;
    const key = `err.${e.code}`;
    return hasKey(key) ? t(key, { s: e.retryAfter ?? '' }) : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
