/**
 * Fetching with a timeout, a byte limit and plain-words errors. Works with the global fetch
 * of browsers and Node (and with any fake of the same shape in tests).
 */
import { FeedError } from "./errors.js";

export interface HeadersLike {
  get(name: string): string | null;
}

export interface ResponseLike {
  status: number;
  /** Final URL after redirects ("" for some fakes: the request URL is used then). */
  url: string;
  headers: HeadersLike;
  text(): Promise<string>;
  /** A byte stream, where available (browsers, Node): read with a running byte count. */
  body?: ReadableStream<Uint8Array> | null;
}

export interface FetchInit {
  signal: AbortSignal;
  headers?: Record<string, string>;
  redirect?: "follow";
  credentials?: "omit";
}

export type FetchLike = (url: string, init: FetchInit) => Promise<ResponseLike>;

export interface FetchedText {
  status: number;
  url: string;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
  /** null for 304 Not Modified. */
  text: string | null;
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * Whether `url` points into the reader's own machine or local network: localhost, loopback,
 * private (RFC 1918), carrier-grade NAT, link-local, unique-local IPv6, unspecified addresses,
 * and the `.local` / `.localhost` / `.internal` / `.lan` / `.home.arpa` names. Names are
 * judged as written: an extension cannot resolve them first (no DNS API in Chrome), so a
 * public name that resolves to a private address is not caught (docs/security.md S8).
 */
export function isPrivateUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/\.$/, "");
  } catch {
    return false;
  }
  if (host.startsWith("[") && host.endsWith("]")) {
    const v6 = host.slice(1, -1);
    if (v6 === "::" || v6 === "::1") return true;
    const mapped = /^::ffff:(.+)$/.exec(v6);
    if (mapped) {
      const m = mapped[1]!;
      // URL serialises ::ffff:a.b.c.d as ::ffff:xxxx:yyyy (hex).
      const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(m);
      const dotted = hex
        ? [
            parseInt(hex[1]!, 16) >> 8,
            parseInt(hex[1]!, 16) & 255,
            parseInt(hex[2]!, 16) >> 8,
            parseInt(hex[2]!, 16) & 255,
          ].join(".")
        : m;
      return isPrivateUrl(`http://${dotted}/`);
    }
    return /^f[cd][0-9a-f]{2}:/.test(v6) || /^fe[89ab][0-9a-f]:/.test(v6);
  }
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168)
    );
  }
  if (!host.includes(".")) return true; // "localhost", "nas", "router": local names
  return /\.(local|localhost|internal|lan|home\.arpa)$/.test(host);
}

function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** The charset a body is in: Content-Type, then a BOM, then an XML declaration or HTML meta. */
export function sniffCharset(bytes: Uint8Array, contentType: string | null): string {
  const fromHeader = contentType ? /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType)?.[1] : undefined;
  if (fromHeader) return fromHeader.toLowerCase();
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 1024));
  const xml = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1];
  if (xml) return xml.toLowerCase();
  const meta = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1];
  if (meta) return meta.toLowerCase();
  return "utf-8";
}

export function decodeBody(bytes: Uint8Array, contentType: string | null): string {
  const charset = sniffCharset(bytes, contentType);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    decoder = new TextDecoder("utf-8");
  }
  return decoder.decode(bytes);
}

/** Reads a body, refusing it as soon as it passes `limit` bytes. */
export async function readLimited(res: ResponseLike, limit: number, what: string): Promise<string> {
  const tooLarge = () =>
    new FeedError(
      "too-large",
      `${what} is larger than ${sizeText(limit)}, the most Parallax reads; it was skipped.`,
    );
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  const contentType = res.headers.get("content-type");
  const body = res.body;
  if (body && typeof body.getReader === "function") {
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
    const all = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.byteLength;
    }
    return decodeBody(all, contentType);
  }
  const text = await res.text();
  // Without a stream the whole body is already in memory; still refuse to go on with it.
  if (text.length > limit) throw tooLarge();
  return text;
}

function statusError(status: number, url: string, what: string): FeedError {
  const host = hostOf(url);
  if (status === 404)
    return new FeedError(
      "not-found",
      `${what} was not found at ${host} (error 404): the address may have changed.`,
    );
  if (status === 410)
    return new FeedError("gone", `${what} has been removed by ${host} (error 410): it will not come back.`);
  if (status === 401 || status === 403)
    return new FeedError("forbidden", `${host} refused access to ${what.toLowerCase()} (error ${status}).`);
  if (status === 429)
    return new FeedError(
      "server-error",
      `${host} asked Parallax to slow down (error 429); it will try again later.`,
    );
  if (status >= 500)
    return new FeedError(
      "server-error",
      `${host} had a server problem (error ${status}); Parallax will try again later.`,
    );
  return new FeedError(
    "http-error",
    `${host} answered with an unexpected status (${status}) for ${what.toLowerCase()}.`,
  );
}

function causeText(e: unknown): string {
  const parts: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; depth < 4 && cur; depth++) {
    if (cur instanceof Error) {
      parts.push(cur.message);
      cur = (cur as Error & { cause?: unknown }).cause;
    } else {
      parts.push(String(cur));
      break;
    }
  }
  return parts.join(" / ");
}

export interface GetOptions {
  fetch: FetchLike;
  signal?: AbortSignal | undefined;
  timeoutMs: number;
  maxBytes: number;
  headers?: Record<string, string>;
  /** "The feed" or "The article page": the subject of the plain-words errors. */
  what: string;
  /**
   * Refuse a private-network address (`isPrivateUrl`), before the request and after
   * redirects: set for the pages a feed on a public host links to (S8).
   */
  refusePrivate?: boolean;
}

/** The error for a page of a public feed that points at a private address (S8), else null. */
export function privateItemError(itemUrl: string, feedUrl: string): FeedError | null {
  return isPrivateUrl(itemUrl) && !isPrivateUrl(feedUrl) ? privateError(itemUrl, "The article page") : null;
}

function privateError(url: string, what: string): FeedError {
  return new FeedError(
    "private-address",
    `${what} is on ${hostOf(url)}, an address on this computer or its local network; a feed from the internet may not make Parallax read it.`,
  );
}

/**
 * GETs `url` (following redirects), with a timeout covering headers AND body, a byte limit,
 * and every failure turned into a FeedError with plain words. 304 returns text null.
 */
export async function getText(url: string, opts: GetOptions): Promise<FetchedText> {
  const host = hostOf(url);
  if (opts.refusePrivate && isPrivateUrl(url)) throw privateError(url, opts.what);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, opts.timeoutMs);
  const onOuterAbort = () => controller.abort();
  if (opts.signal?.aborted) controller.abort();
  opts.signal?.addEventListener("abort", onOuterAbort, { once: true });
  const fail = (e: unknown): FeedError => {
    if (e instanceof FeedError) return e;
    if (timedOut)
      return new FeedError(
        "timeout",
        `${host} did not answer within ${Number((opts.timeoutMs / 1000).toFixed(1))} seconds; Parallax will try again later.`,
      );
    if (opts.signal?.aborted) return new FeedError("aborted", "The check was stopped before it finished.");
    const detail = causeText(e);
    if (/redirect/i.test(detail))
      return new FeedError(
        "redirect-loop",
        `${host} keeps redirecting (a redirect loop), so ${opts.what.toLowerCase()} cannot be reached.`,
      );
    return new FeedError(
      "network",
      `Could not reach ${host}: the site may be down or redirecting in a loop, or this computer is offline.`,
    );
  };
  try {
    let res: ResponseLike;
    try {
      res = await opts.fetch(url, {
        signal: controller.signal,
        headers: opts.headers ?? {},
        redirect: "follow",
        credentials: "omit",
      });
    } catch (e) {
      throw fail(e);
    }
    const finalUrl = res.url || url;
    if (opts.refusePrivate && isPrivateUrl(finalUrl)) {
      await res.body?.cancel().catch(() => undefined);
      throw privateError(finalUrl, opts.what);
    }
    const base = {
      status: res.status,
      url: finalUrl,
      contentType: res.headers.get("content-type"),
      etag: res.headers.get("etag"),
      lastModified: res.headers.get("last-modified"),
    };
    if (res.status === 304) {
      await res.body?.cancel().catch(() => undefined);
      return { ...base, text: null };
    }
    if (res.status < 200 || res.status > 299) {
      await res.body?.cancel().catch(() => undefined);
      throw statusError(res.status, finalUrl, opts.what);
    }
    try {
      return { ...base, text: await readLimited(res, opts.maxBytes, opts.what) };
    } catch (e) {
      throw fail(e);
    }
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener("abort", onOuterAbort);
  }
}
