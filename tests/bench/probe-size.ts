/**
 * Size probe of the judgement's persisted index (not part of `npm run bench`): builds a matcher
 * over N distinct bench articles, writes its snapshot to a folder, and in a second run (a fresh
 * process) imports it and reports the memory the imported matcher retains.
 *
 *   node --expose-gc --import tsx tests/bench/probe-size.ts build --n 10000 --dir /tmp/snap
 *   node --expose-gc --import tsx tests/bench/probe-size.ts import --dir /tmp/snap
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { normalizeArticle } from "../../src/engine/article.js";
import { articleFeatures, Matcher, type MatcherSnapshot } from "../../src/engine/judge/index.js";
import { generate } from "./corpus.js";

const args = process.argv.slice(2);
const opt = (name: string, def: string): string => {
  const i = args.indexOf("--" + name);
  return i >= 0 ? args[i + 1]! : def;
};
const mode = args[0];
const dir = opt("dir", "/tmp/probe-snap");
const gc = (globalThis as { gc?: () => void }).gc;
const mem = (): number => {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

if (mode === "build") {
  const n = Number(opt("n", "10000"));
  const m = new Matcher();
  const fixed = new Date("2026-01-01T00:00:00Z");
  const t0 = performance.now();
  for (const input of generate(n)) m.addFeatures(articleFeatures(normalizeArticle(input, fixed)));
  const s = m.exportIndex();
  mkdirSync(dir, { recursive: true });
  const byPrefix = new Map<string, number>();
  for (const c of s.chunks) {
    writeFileSync(join(dir, c.key.replace("/", "_")), new Uint8Array(c.bytes));
    const p = c.key.split("/")[0]!;
    byPrefix.set(p, (byPrefix.get(p) ?? 0) + c.bytes.byteLength);
  }
  writeFileSync(join(dir, "meta.json"), JSON.stringify({ ...s, chunks: undefined }));
  const total = s.chunks.reduce((a, c) => a + c.bytes.byteLength, 0);
  console.log(
    JSON.stringify({
      n,
      buildS: Math.round(performance.now() - t0) / 1000,
      chunks: s.chunks.length,
      mb: Math.round(total / 1e4) / 100,
      bytesPerArticle: Math.round(total / n),
      perArticle: Object.fromEntries([...byPrefix].map(([k, v]) => [k, Math.round(v / n)])),
    }),
  );
} else {
  const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8")) as MatcherSnapshot;
  const before = mem();
  const chunks = readdirSync(dir)
    .filter((f) => f !== "meta.json")
    .map((f) => {
      const b = readFileSync(join(dir, f));
      return { key: f.replace("_", "/"), bytes: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) };
    });
  const c0 = process.cpuUsage();
  const m = Matcher.importIndex({ ...meta, chunks });
  const cpu = process.cpuUsage(c0);
  chunks.length = 0;
  const after = mem();
  console.log(
    JSON.stringify({
      size: m?.size,
      importCpuMs: Math.round((cpu.user + cpu.system) / 100) / 10,
      retainedMb: Math.round((after - before) / 1e4) / 100,
    }),
  );
}
