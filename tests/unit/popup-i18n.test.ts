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

  it("every key the popup and options page use exists in the catalogue", () => {
    const files = ["popup/components.tsx", "popup/PopupApp.tsx", "popup/OptionsApp.tsx", "popup/format.ts"];
    const keys = new Set<string>();
    for (const f of files) {
      const src = fs.readFileSync(path.join(ROOT, f), "utf8");
      for (const m of src.matchAll(/\bt\("([A-Za-z0-9_]+)"/g)) if (m[1]) keys.add(m[1]);
      for (const m of src.matchAll(/\btn\("([A-Za-z0-9_]+)"/g)) {
        keys.add(`${m[1]}One`);
        keys.add(`${m[1]}Other`);
      }
      for (const m of src.matchAll(/"((?:status|hint|colour|noArticle|when)[A-Z][A-Za-z]*)"/g))
        if (m[1]) keys.add(m[1]);
    }
    expect(keys.size).toBeGreaterThan(40);
    expect([...keys].filter((k) => !(k in messages))).toEqual([]);
  });
});
