// A short, human name for this device, sent at sign-in and shown in the sessions list.

const BROWSERS: [RegExp, string][] = [
  [/Edg\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/CocCoc|coc_coc/i, 'Cốc Cốc'],
  [/Firefox\//, 'Firefox'],
  [/Chrome\/|Chromium\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];
const SYSTEMS: [RegExp, string][] = [
  [/Android/, 'Android'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

const pick = (ua: string, table: [RegExp, string][]) => table.find(([re]) => re.test(ua))?.[1];

export function deviceLabel(userAgent: string = globalThis.navigator?.userAgent ?? ''): string {
  const browser = pick(userAgent, BROWSERS) ?? 'Browser';
  const system = pick(userAgent, SYSTEMS);
  return (system ? `${browser} · ${system}` : browser).slice(0, 120);
}
