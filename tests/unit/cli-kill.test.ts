import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { FileStore } from "../../src/store/file.js";

/** A real `kill -9` in the middle of `parallax import`: the store loses at most the line being written. */

const root = fileURLToPath(new URL("../..", import.meta.url));
const N = 20_000;
const text = (i: number) =>
  `Item ${i}: the council met on Tuesday and approved ${i} new homes in the district.`;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parallax-kill-"));
  await promisify(execFile)(process.execPath, [join(root, "scripts/build-cli.mjs")], { cwd: root });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("a killed import leaves a loadable store, and importing again completes it", async () => {
  const input = join(dir, "big.jsonl");
  const lines: string[] = [];
  for (let i = 0; i < N; i++) lines.push(JSON.stringify({ id: `k${i}`, text: text(i) }));
  writeFileSync(input, lines.join("\n") + "\n");
  const store = join(dir, "store");
  const child = spawn(process.execPath, [join(root, "bin/parallax.js"), "import", input, "--store", store], {
    stdio: "ignore",
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_c, sig) => resolve(sig)));
  // Kill it once a part of the articles is written.
  const log = join(store, "articles.jsonl");
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    let size = 0;
    try {
      size = statSync(log).size;
    } catch {
      // not created yet
    }
    if (size > 200_000) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill("SIGKILL");
  expect(await exited).toBe("SIGKILL");

  const s = await FileStore.open(store);
  expect(s.warnings.length).toBeLessThanOrEqual(1);
  const kept = await s.all();
  expect(kept.length).toBeGreaterThan(0);
  expect(kept.length).toBeLessThan(N);
  // What was kept is exactly the first lines, intact.
  kept.forEach((a, i) => {
    expect(a.id).toBe(`k${i}`);
    expect(a.text).toBe(text(i));
  });
  s.close();

  const again = await promisify(execFile)(process.execPath, [
    join(root, "bin/parallax.js"),
    "import",
    input,
    "--store",
    store,
  ]);
  expect(again.stdout).toMatch(new RegExp(`^imported: ${N - kept.length}$`, "m"));
  expect(again.stdout).toMatch(new RegExp(`^duplicate: ${kept.length}$`, "m"));
  const t = await FileStore.open(store);
  expect(t.warnings).toEqual([]);
  expect(await t.count()).toBe(N);
}, 120_000);
