import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fallback, t, tn } from "../../popup/i18n.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const messages = JSON.parse(
  fs.readFileSync(path.join(ROOT, "public/_locales/en/messages.json"), "utf8"),
) as Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;

afterEach(() => {
  delete (globalThis as { browser?: unknown }).browser;
});

describe("t(): localised strings", () => {
  it("fills placeholders from the English catalogue outside the extension", () => {
    expect(t("importResult", 2, 1, 0)).toBe("Imported 2, duplicates 1, rejected 0");
    expect(t("confirmDeleteSource", 3, "NDTV")).toBe("Delete the 3 articles of NDTV? This cannot be undone.");
    expect(tn("figuresAgree", 1)).toBe("1 figure the reports agree on");
    expect(tn("figuresAgree", 4)).toBe("4 figures the reports agree on");
    expect(t("no-such-key")).toBe("no-such-key");
  });

  it("asks the browser first and falls back when it has no text", () => {
    const asked: [string, string[] | undefined][] = [];
    (globalThis as { browser?: unknown }).browser = {
      i18n: {
        getMessage: (key: string, subs?: string[]) => {
          asked.push([key, subs]);
          return key === "loadDemo" ? "Démo" : "";
        },
      },
    };
    expect(t("loadDemo")).toBe("Démo");
    expect(t("deletedSource", 2, "X")).toBe("Deleted 2 articles of X.");
    expect(asked).toEqual([
      ["loadDemo", []],
      ["deletedSource", ["2", "X"]],
    ]);
  });

  it("the catalogue is well-formed for both browsers: names, placeholders numbered in order, no unused ones", () => {
    for (const [key, entry] of Object.entries(messages)) {
      expect(key).toMatch(/^[A-Za-z0-9_]+$/);
      const used = [...entry.message.matchAll(/\$([A-Za-z0-9_]+)\$/g)].map((m) => m[1]?.toLowerCase());
      const declared = Object.keys(entry.placeholders ?? {});
      expect(new Set(used), key).toEqual(new Set(declared));
      declared.forEach((name, i) => expect(entry.placeholders?.[name]?.content, key).toBe(`$${i + 1}`));
      expect(fallback(key, ["a", "b", "c"])).not.toMatch(/\$[A-Za-z]+\$/);
    }
  });

  /** Every source file that shows words: the popup and options page, and the background. */
  const sources = (): string[] => {
    const dirs = ["popup", "src/background"];
    return dirs.flatMap((d) =>
      fs
        .readdirSync(path.join(ROOT, d))
        .filter((f) => /\.tsx?$/.test(f))
        .map((f) => path.join(d, f)),
    );
  };

  /** Keys a source asks for: t("k"), tn("k") (kOne, kOther) and the key tables (by prefix). */
  function keysUsedIn(src: string): Set<string> {
    const keys = new Set<string>();
    for (const m of src.matchAll(/\bt\("([A-Za-z0-9_]+)"/g)) if (m[1]) keys.add(m[1]);
    for (const m of src.matchAll(/\btn\("([A-Za-z0-9_]+)"/g)) {
      keys.add(`${m[1]}One`);
      keys.add(`${m[1]}Other`);
    }
    for (const m of src.matchAll(/getMessage\("([A-Za-z0-9_]+)"/g)) if (m[1]) keys.add(m[1]);
    // t(`status${STATUS_KEY[s]}`) over a table `const STATUS_KEY: Record<…> = { a: "Conflict", … }`.
    for (const m of src.matchAll(/\bt\(`([A-Za-z]+)\$\{([A-Za-z_]+)\[/g)) {
      const table = new RegExp(`const ${m[2]}\\b[^=]*=\\s*\\{([^}]*)\\}`).exec(src)?.[1] ?? "";
      for (const v of table.matchAll(/:\s*"([A-Za-z0-9_]+)"/g)) keys.add(`${m[1]}${v[1]}`);
    }
    for (const m of src.matchAll(/"((?:status|hint|colour|noArticle|when|page)[A-Z][A-Za-z]*)"/g))
      if (m[1]) keys.add(m[1]);
    return keys;
  }

  it("every key the popup, options page and background use exists in the catalogue", () => {
    const files = sources();
    for (const f of [
      "popup/components.tsx",
      "popup/PopupApp.tsx",
      "popup/OptionsApp.tsx",
      "popup/format.ts",
      "popup/FeedsPanel.tsx",
      "src/background/tabs.ts",
      "src/background/handlers.ts",
      "src/background/feeds.ts",
    ])
      expect(files).toContain(f);
    const byFile = new Map(files.map((f) => [f, keysUsedIn(fs.readFileSync(path.join(ROOT, f), "utf8"))]));
    const keys = new Set([...byFile.values()].flatMap((k) => [...k]));
    expect(keys.size).toBeGreaterThan(100);
    // The files moved to the catalogue really ask for their words through it.
    expect(byFile.get("popup/FeedsPanel.tsx")?.size).toBeGreaterThan(40);
    expect(byFile.get("src/background/tabs.ts")).toEqual(
      new Set(["extName", "badgeTitleOne", "badgeTitleOther"]),
    );
    expect(byFile.get("src/background/handlers.ts")?.has("pageNotAPage")).toBe(true);
    expect([...keys].filter((k) => !(k in messages))).toEqual([]);
  });

  it("every key in the catalogue is used (by the manifest or a source file)", () => {
    const manifest = fs.readFileSync(path.join(ROOT, "manifest.json"), "utf8");
    const used = new Set([...manifest.matchAll(/__MSG_([A-Za-z0-9_]+)__/g)].map((m) => m[1]));
    for (const f of sources())
      for (const k of keysUsedIn(fs.readFileSync(path.join(ROOT, f), "utf8"))) used.add(k);
    expect(Object.keys(messages).filter((k) => !used.has(k))).toEqual([]);
  });

  it("the feeds panel and the background hold no English sentence of their own", () => {
    const files = ["popup/FeedsPanel.tsx", ...sources().filter((f) => f.startsWith("src/background/"))];
    const found: string[] = [];
    for (const f of files) {
      fs.readFileSync(path.join(ROOT, f), "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (/^\s*(\/\/|\*|\/\*)/.test(line) || /justification:/.test(line)) return; // comments; Chrome-internal
          // "Words like this", `Words ${x}`, or >Words in JSX<
          if (/"[A-Z][a-z]+ [^"]*"|`[A-Z][a-z]+ [^`]*`|>\s*[A-Z][a-z]+ [a-z][^<]*</.test(line))
            found.push(`${f}:${i + 1}`);
        });
    }
    expect(found).toEqual([]);
  });

  it("the background speaks through the catalogue, with English outside the extension", async () => {
    const { setBadge } = await import("../../src/background/tabs.js");
    const { noArticleMessage, plainError } = await import("../../src/background/handlers.js");
    const titles: string[] = [];
    const browser = {
      action: {
        setBadgeText: async () => undefined,
        setTitle: async (d: { title: string }) => void titles.push(d.title),
        setBadgeBackgroundColor: async () => undefined,
      },
    };
    const fig = (status: string) => ({ status }) as never;
    const report = (n: number) => ({ figures: Array.from({ length: n }, () => fig("dispute")) }) as never;
    await setBadge(browser as never, 1, report(1));
    await setBadge(browser as never, 1, report(0));
    (globalThis as { browser?: unknown }).browser = {
      i18n: {
        getMessage: (key: string, subs?: string[]) => (key === "badgeTitleOther" ? `P ${subs?.[0]}` : ""),
      },
    };
    await setBadge(browser as never, 1, report(3));
    expect(titles).toEqual(["Parallax: 1 figure differs between reports", "Parallax", "P 3"]);
    expect(noArticleMessage("too-large")).toBe("This page is too large to analyse.");
    expect(plainError(new Error("disk"))).toBe("Something went wrong: disk");
    expect(plainError("")).toBe("Something went wrong.");
  });
});
