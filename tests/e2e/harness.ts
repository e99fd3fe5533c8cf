/**
 * End-to-end harness: a local fixture server and the built extension loaded in real Debian
 * Chromium and Firefox ESR through puppeteer. See tests/e2e/README.md for the recipe and why
 * each step is done the way it is (Firefox is the risky part).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import puppeteer, { type Browser, type Page, type WebWorker } from "puppeteer";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SCREENSHOT_DIR = path.join(ROOT, "tests/output/screenshots");
export const DOCS_SCREENSHOT_DIR = path.join(ROOT, "docs/screenshots");

export type BrowserName = "chromium" | "firefox";
export const BROWSERS: BrowserName[] = ["chromium", "firefox"];

export const CHROMIUM_PATH = process.env.PARALLAX_CHROMIUM ?? "/usr/bin/chromium";
export const FIREFOX_PATH = process.env.PARALLAX_FIREFOX ?? "/usr/bin/firefox-esr";

/** Flags that keep Chromium quiet on a closed network (GUIDE.md §3). */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/** A fixed moz-extension UUID, so the Firefox base URL is known before anything is opened. */
export const FIREFOX_EXTENSION_UUID = "0a11a7e5-0000-4000-8000-0000000e2e00";

// ---------------------------------------------------------------------------------------
// Fixture server
// ---------------------------------------------------------------------------------------

export interface FixtureServer {
  /** e.g. "http://127.0.0.1:41234" (no trailing slash). */
  origin: string;
  /** Absolute URL of a path on the server. */
  url(p: string): string;
  /** Paths requested so far (to check what the browser asked for). */
  requests: string[];
  close(): Promise<void>;
}

const SEED_PAGES_DIR = path.join(ROOT, "tests/fixtures/seed-pages");
const PAGES_DIR = path.join(ROOT, "tests/fixtures/pages");

/** Tiny pages served from memory: no article on them. */
export const EXTRA_PAGES: Record<string, string> = {
  "/no-article.html":
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Nothing here</title></head>' +
    "<body><p>Hello.</p></body></html>",
};

function resolveFixture(urlPath: string): string | null {
  const seed = /^\/seed-pages\/([A-Za-z0-9_.-]+\.html)$/.exec(urlPath);
  if (seed?.[1]) return path.join(SEED_PAGES_DIR, seed[1]);
  const page = /^\/pages\/([A-Za-z0-9_-]+)\.html$/.exec(urlPath);
  if (page?.[1]) return path.join(PAGES_DIR, page[1], "source.html");
  return null;
}

/**
 * Serves tests/fixtures/seed-pages/<name>.html at /seed-pages/<name>.html,
 * tests/fixtures/pages/<slug>/source.html at /pages/<slug>.html and EXTRA_PAGES,
 * on 127.0.0.1 with a random port. Nothing else (404).
 */
export async function startFixtureServer(extra: Record<string, string> = {}): Promise<FixtureServer> {
  const requests: string[] = [];
  const pages = { ...EXTRA_PAGES, ...extra };
  const server = http.createServer((req, res) => {
    const urlPath = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    requests.push(urlPath);
    const inline = pages[urlPath];
    const file = inline === undefined ? resolveFixture(urlPath) : null;
    if (inline === undefined && (file === null || !fs.existsSync(file))) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end("not found");
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(inline ?? fs.readFileSync(file as string));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (p) => origin + (p.startsWith("/") ? p : `/${p}`),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------
// The built extension
// ---------------------------------------------------------------------------------------

export interface BuiltManifest {
  manifest_version: number;
  name: string;
  action?: { default_popup?: string };
  options_ui?: { page?: string };
  background?: { service_worker?: string; scripts?: string[] };
  browser_specific_settings?: { gecko?: { id?: string } };
}

/**
 * `page.setViewport` that also works in Firefox ESR 140: puppeteer's BiDi implementation sends
 * `browsingContext.setViewport` and `emulation.setScreenOrientationOverride` together, and ESR 140
 * does not know the second command (the viewport itself is set; only the orientation fails).
 */
export async function setViewport(page: Page, viewport: { width: number; height: number }): Promise<void> {
  try {
    await page.setViewport(viewport);
  } catch (e) {
    if (!(e instanceof Error && /setScreenOrientationOverride/.test(e.message))) throw e;
  }
}

/**
 * Polls `fn` in the page until it returns true. Use it on extension pages instead of
 * `page.waitForFunction`: puppeteer's poller builds its predicate with `Function()`, which an
 * extension page's CSP refuses in Firefox ESR 140 ("call to Function() blocked by CSP");
 * `page.evaluate` goes through the protocol and is not subject to the page's CSP.
 */
export async function pollUntil(
  page: Page,
  fn: (...args: string[]) => boolean,
  opts: { timeout?: number; polling?: number } = {},
  ...args: string[]
): Promise<void> {
  const deadline = Date.now() + (opts.timeout ?? 30_000);
  for (;;) {
    if (await page.evaluate(fn, ...args)) return;
    if (Date.now() > deadline) throw new Error(`pollUntil: timed out after ${opts.timeout ?? 30_000} ms`);
    await new Promise((r) => setTimeout(r, opts.polling ?? 100));
  }
}

/**
 * Stops the background while it works. Chromium: CDP `ServiceWorker.stopAllWorkers` (from a
 * page of its own, so DevTools never attaches to the worker — an attached worker restarts
 * paused). Firefox: the event page is reloaded in place (its script and everything in flight
 * end, it starts again); `runtime.reload()` would do the same but also closes every extension
 * page, and puppeteer (BiDi) keeps listing those as open about:blank pages that no longer answer.
 */
export async function stopBackground(s: Session): Promise<void> {
  if (s.name === "chromium") {
    const page = await s.browser.newPage();
    try {
      const cdp = await page.createCDPSession();
      await cdp.send("ServiceWorker.enable");
      await cdp.send("ServiceWorker.stopAllWorkers");
      await cdp.detach();
    } finally {
      await page.close();
    }
    return;
  }
  await s.evalInBackground((bg) => {
    (bg as Window & { __parallaxStopped?: boolean }).__parallaxStopped = true;
    (bg as Window).location.reload();
    return true;
  });
  // reload() only schedules the navigation: until the new page has run its script, a message may
  // still reach the old one (answering from before the stop) or nothing at all ("Receiving end
  // does not exist"). Wait for a background page without the old page's mark, fully loaded.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const fresh = await s
      .evalInBackground((bg) => {
        const w = bg as Window & { __parallaxStopped?: boolean };
        return w.__parallaxStopped !== true && w.document.readyState === "complete";
      })
      .catch(() => false);
    if (fresh) return;
    if (Date.now() > deadline) throw new Error("the background page did not come back after its reload");
    await sleep(50);
  }
}

/**
 * A TEST-ONLY copy of the build with http://127.0.0.1/* granted at install, for tests whose
 * feeds and pages come from a local server (the shipped build asks the reader per site).
 */
export function testOnlyBuild(name: BrowserName, label: string): { dir: string; remove(): void } {
  const src = ensureBuilt(name);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `parallax-${label}-${name}-`));
  fs.cpSync(src, dir, { recursive: true });
  const file = path.join(dir, "manifest.json");
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as { host_permissions?: string[] };
  manifest.host_permissions = [...(manifest.host_permissions ?? []), "http://127.0.0.1/*"];
  fs.writeFileSync(file, JSON.stringify(manifest, null, 2));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function distDir(name: BrowserName): string {
  return path.join(ROOT, "dist", name === "chromium" ? "chrome" : "firefox");
}

/**
 * The built extension for a browser. Builds it (npm run build:<chrome|firefox>) when
 * dist/ has no manifest yet, so `npm run test:e2e` works on a fresh clone.
 */
export function ensureBuilt(name: BrowserName): string {
  const dir = distDir(name);
  if (!fs.existsSync(path.join(dir, "manifest.json"))) {
    const script = name === "chromium" ? "build:chrome" : "build:firefox";
    execFileSync("npm", ["run", "--silent", script], { cwd: ROOT, stdio: "inherit" });
  }
  return dir;
}

export function readManifest(dir: string): BuiltManifest {
  return JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as BuiltManifest;
}

// ---------------------------------------------------------------------------------------
// Browser sessions
// ---------------------------------------------------------------------------------------

/** Minimal typing of the extension API as seen from an extension context. */
export interface ExtApi {
  runtime: {
    id: string;
    getURL(p: string): string;
    sendMessage(msg: unknown): Promise<unknown>;
    getBackgroundPage?(): Promise<unknown>;
  };
  tabs: {
    query(q: object): Promise<{ id?: number; url?: string; active?: boolean }[]>;
    create(p: { url: string; active?: boolean }): Promise<{ id?: number }>;
    update(id: number, p: { active?: boolean }): Promise<unknown>;
    sendMessage(tabId: number, msg: unknown): Promise<unknown>;
  };
}

export interface Session {
  name: BrowserName;
  browser: Browser;
  /** Chromium: the extension id; Firefox: the add-on id (gecko id). */
  extensionId: string;
  /** "chrome-extension://<id>/" or "moz-extension://<uuid>/". */
  baseUrl: string;
  manifest: BuiltManifest;
  /** Open an extension page (path relative to the extension root, may carry a query). */
  openExtensionPage(relPath: string): Promise<Page>;
  /** Open a web page in a new tab and wait for it to load; returns the page and its tab id. */
  openTab(url: string): Promise<{ page: Page; tabId: number }>;
  /** The popup page, opened as a full tab, for the tab `tabId` (`?tabId=<id>`, read by popup/api.ts). */
  openPopup(tabId: number): Promise<Page>;
  /** The options page. */
  openOptions(): Promise<Page>;
  /**
   * Run `fn` in an extension context with `api` = the extension API (browser/chrome).
   * Chromium: in the helper extension page; Firefox: the same. Use it for messages whose
   * sender must be an extension page (`sendMessage`) and for tabs.* queries.
   */
  evalInExtension<R, A extends unknown[]>(
    fn: (api: ExtApi, ...args: A) => R | Promise<R>,
    ...args: A
  ): Promise<R>;
  /**
   * Run `fn` with `bg` = the background's global object. Chromium: inside the service worker
   * (fn runs in the worker). Firefox: in an extension page with `bg` = the window returned by
   * runtime.getBackgroundPage() (same process; fn's own globals are the page's).
   */
  evalInBackground<R, A extends unknown[]>(
    fn: (bg: unknown, ...args: A) => R | Promise<R>,
    ...args: A
  ): Promise<R>;
  /** Send a protocol message from an extension page (sender kind "extension-page"). */
  sendMessage<R = unknown>(msg: { type: string } & Record<string, unknown>): Promise<R>;
  /** Tab id of a page opened with openTab (matched by URL). */
  tabIdOf(page: Page): Promise<number>;
  /** Save tests/output/screenshots/<browser>-<name>.png (+ docs/screenshots/ with UPDATE_SCREENSHOTS=1 unless docs: false). */
  screenshot(page: Page, name: string, opts?: { fullPage?: boolean; docs?: boolean }): Promise<string>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Unpacked extension directory; default: the build for this browser (built if missing). */
  extensionDir?: string;
}

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

async function launchBrowser(
  name: BrowserName,
  geckoId: string | undefined,
  profile: string,
): Promise<Browser> {
  if (name === "chromium") {
    return puppeteer.launch({
      browser: "chrome",
      executablePath: CHROMIUM_PATH,
      headless: true,
      // installExtension needs the CDP pipe (+ --enable-unsafe-extension-debugging, added by enableExtensions).
      pipe: true,
      enableExtensions: true,
      userDataDir: profile,
      args: CHROMIUM_ARGS,
      defaultViewport: { width: 1100, height: 900 },
    });
  }
  const prefs: Record<string, unknown> = {
    // Local only: no update checks, telemetry or remote settings fetches from the test profile.
    "app.update.enabled": false,
    "extensions.update.enabled": false,
    "datareporting.policy.dataSubmissionEnabled": false,
    "network.dns.disablePrefetch": true,
    "network.prefetch-next": false,
  };
  // Fix the add-on's moz-extension UUID so its pages have a known URL.
  if (geckoId)
    prefs["extensions.webextensions.uuids"] = JSON.stringify({ [geckoId]: FIREFOX_EXTENSION_UUID });
  return puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX_PATH,
    headless: true,
    userDataDir: profile,
    // WebDriver BiDi refuses browsingContext.navigate to moz-extension:// unless system access is allowed.
    args: ["--remote-allow-system-access"],
    extraPrefsFirefox: prefs,
    defaultViewport: { width: 1100, height: 900 },
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Navigate `page` to `url`. Chromium: a normal goto. Firefox: BiDi never reports the load of a
 * moz-extension:// document to puppeteer (goto times out and page.url() stays about:blank), so
 * start the navigation without awaiting it and wait until the new document says it is there.
 */
async function navigate(name: BrowserName, page: Page, url: string): Promise<void> {
  if (name === "chromium" || !url.startsWith("moz-extension:")) {
    await page.goto(url, { waitUntil: "load" });
    return;
  }
  page.goto(url, { waitUntil: "load", timeout: 60_000 }).catch(() => undefined);
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const ok = await page.evaluate(
        (u: string) => location.href === u && document.readyState === "complete",
        url,
      );
      if (ok) return;
    } catch {
      // execution context replaced mid-navigation: try again
    }
    if (Date.now() > deadline) throw new Error(`Firefox: ${url} did not load`);
    await sleep(100);
  }
}

/** Launch `name` with the extension installed. */
export async function launch(name: BrowserName, opts: LaunchOptions = {}): Promise<Session> {
  const dir = opts.extensionDir ?? ensureBuilt(name);
  const manifest = readManifest(dir);
  const geckoId = manifest.browser_specific_settings?.gecko?.id;
  if (name === "firefox" && !geckoId) throw new Error("Firefox e2e needs browser_specific_settings.gecko.id");
  const tmp = tempDir(`parallax-e2e-${name}-`);
  const browser = await launchBrowser(name, geckoId, path.join(tmp, "profile"));
  let extensionId: string;
  try {
    extensionId = await browser.installExtension(dir);
  } catch (e) {
    await browser.close();
    throw e;
  }
  const baseUrl =
    name === "chromium" ? `chrome-extension://${extensionId}/` : `moz-extension://${FIREFOX_EXTENSION_UUID}/`;

  const popupPath = manifest.action?.default_popup;
  const optionsPath = manifest.options_ui?.page;
  // The helper page: an extension page kept open to run code in an extension context.
  const helperPath = optionsPath ?? popupPath;
  if (!helperPath) throw new Error("the extension has no options or popup page to use as a helper");
  let helper: Page | null = null;

  async function openExtensionPage(relPath: string): Promise<Page> {
    const page = await browser.newPage();
    await navigate(name, page, baseUrl + relPath.replace(/^\//, ""));
    return page;
  }

  async function helperPage(): Promise<Page> {
    if (helper && !helper.isClosed()) return helper;
    helper = await openExtensionPage(helperPath as string);
    return helper;
  }

  async function evalInExtension<R, A extends unknown[]>(
    fn: (api: ExtApi, ...args: A) => R | Promise<R>,
    ...args: A
  ): Promise<R> {
    const page = await helperPage();
    // A string expression: BiDi/CDP evaluation is not subject to the page's CSP, `new Function` would be.
    const expr = `(async () => { const api = globalThis.browser ?? globalThis.chrome; return await (${fn.toString()})(api, ...${JSON.stringify(args)}); })()`;
    return (await page.evaluate(expr)) as R;
  }

  async function serviceWorker(): Promise<WebWorker> {
    const target = await browser.waitForTarget(
      (t) => t.type() === "service_worker" && t.url().startsWith(baseUrl),
      { timeout: 30_000 },
    );
    const worker = await target.worker();
    if (!worker) throw new Error("no service worker");
    return worker;
  }

  async function evalInBackground<R, A extends unknown[]>(
    fn: (bg: unknown, ...args: A) => R | Promise<R>,
    ...args: A
  ): Promise<R> {
    if (name === "chromium") {
      const worker = await serviceWorker();
      const expr = `(async () => await (${fn.toString()})(self, ...${JSON.stringify(args)}))()`;
      return (await worker.evaluate(expr)) as R;
    }
    const page = await helperPage();
    const expr = `(async () => { const bg = await browser.runtime.getBackgroundPage(); if (!bg) throw new Error("no background page"); return await (${fn.toString()})(bg, ...${JSON.stringify(args)}); })()`;
    return (await page.evaluate(expr)) as R;
  }

  async function tabIdOf(page: Page): Promise<number> {
    const url = page.url();
    const deadline = Date.now() + 10_000;
    for (;;) {
      // Query every tab and compare in JS: Firefox's url match patterns do not match a port + query.
      const tabs = await evalInExtension((api) => api.tabs.query({}));
      const found = tabs.find((t) => t.url === url && typeof t.id === "number");
      if (found?.id !== undefined) return found.id;
      if (Date.now() > deadline) throw new Error(`no tab with url ${url}`);
      await sleep(100);
    }
  }

  let tabSerial = 0;
  async function openTab(url: string): Promise<{ page: Page; tabId: number }> {
    // A unique fragment-free query makes the tab findable by URL even if the page is opened twice.
    const u = new URL(url);
    u.searchParams.set("e2e", String(++tabSerial));
    const page = await browser.newPage();
    await page.goto(u.href, { waitUntil: "load" });
    return { page, tabId: await tabIdOf(page) };
  }

  async function openPopup(tabId: number): Promise<Page> {
    if (!popupPath) throw new Error("the extension has no popup");
    const page = await browser.newPage();
    // About the size of a toolbar popup, so screenshots look like the real thing.
    await setViewport(page, { width: 420, height: 640 });
    await navigate(name, page, `${baseUrl}${popupPath}?tabId=${tabId}`);
    return page;
  }

  async function openOptions(): Promise<Page> {
    if (!optionsPath) throw new Error("the extension has no options page");
    return openExtensionPage(optionsPath);
  }

  async function sendMessage<R = unknown>(msg: { type: string } & Record<string, unknown>): Promise<R> {
    return evalInExtension((api, m: unknown) => api.runtime.sendMessage(m), msg) as Promise<R>;
  }

  async function screenshot(
    page: Page,
    shotName: string,
    o: { fullPage?: boolean; docs?: boolean } = {},
  ): Promise<string> {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name}-${shotName}.png`);
    await page.screenshot({ path: file as `${string}.png`, fullPage: o.fullPage ?? false });
    if (process.env.UPDATE_SCREENSHOTS === "1" && o.docs !== false) {
      fs.mkdirSync(DOCS_SCREENSHOT_DIR, { recursive: true });
      fs.copyFileSync(file, path.join(DOCS_SCREENSHOT_DIR, path.basename(file)));
    }
    return file;
  }

  return {
    name,
    browser,
    extensionId,
    baseUrl,
    manifest,
    openExtensionPage,
    openTab,
    openPopup,
    openOptions,
    evalInExtension,
    evalInBackground,
    sendMessage,
    tabIdOf,
    screenshot,
    async close() {
      await browser.close().catch(() => undefined);
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
