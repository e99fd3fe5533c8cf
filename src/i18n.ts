/**
 * User-facing strings of the popup, options page and background: `t(key, ...subs)` over
 * `i18n.getMessage` (public/_locales/<lang>/messages.json, English first). No DOM use, so the
 * background (service worker or event page) shares it. Outside the extension (unit tests) or for a key the browser
 * does not know, the bundled English catalogue answers, with the same `$NAME$` placeholders.
 */
import en from "../public/_locales/en/messages.json";

interface Entry {
  message: string;
  placeholders?: Record<string, { content: string }>;
}
const catalogue = en as Record<string, Entry>;

type GetMessage = (key: string, subs?: string[]) => string;

function browserGetMessage(): GetMessage | null {
  const g = globalThis as { browser?: { i18n?: { getMessage?: GetMessage } }; chrome?: typeof g.browser };
  const api = g.browser?.i18n ?? g.chrome?.i18n;
  return typeof api?.getMessage === "function" ? api.getMessage.bind(api) : null;
}

/** The English text of `key` with its placeholders filled from `subs` (as the browser does). */
export function fallback(key: string, subs: string[]): string {
  const entry = catalogue[key];
  if (!entry) return key;
  const byName = new Map<string, string>();
  for (const [name, p] of Object.entries(entry.placeholders ?? {})) {
    const m = /^\$(\d)$/.exec(p.content);
    byName.set(name.toLowerCase(), m ? (subs[Number(m[1]) - 1] ?? "") : p.content);
  }
  return entry.message.replace(
    /\$([A-Za-z0-9_@]+)\$/g,
    (all, name: string) => byName.get(name.toLowerCase()) ?? all,
  );
}

/** The text of message `key` in the browser's language, with substitutions. */
export function t(key: string, ...subs: (string | number)[]): string {
  const strings = subs.map(String);
  const get = browserGetMessage();
  if (get) {
    try {
      const text = get(key, strings);
      if (text) return text;
    } catch {
      // fall through to English
    }
  }
  return fallback(key, strings);
}

/** "1 article" / "2 articles": picks `<key>One` or `<key>Other` by n. */
export function tn(key: string, n: number, ...subs: (string | number)[]): string {
  return t(n === 1 ? `${key}One` : `${key}Other`, n, ...subs);
}
