#!/usr/bin/env node
/**
 * The one test command (`npm test`), the same one CI runs. Steps, in order:
 * typecheck, lint, format check, builds, vitest unit+dom+fuzz, evals with floors (when present),
 * a quick bench (1k articles in Node, so the bench cannot rot; its figures are not asserted), web-ext lint of the Firefox build, vitest e2e (skipped only with PARALLAX_SKIP_E2E=1).
 *
 * Vitest steps count their tests from vitest's JSON reporter; every other step counts as one
 * test. Keeps going after a failure so every step reports; exits non-zero if anything failed;
 * the very last line printed is exactly `N passed, N failed`.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const OUT = path.join(ROOT, "tests/output");
const BIN = path.join(ROOT, "node_modules/.bin");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

fs.mkdirSync(OUT, { recursive: true });

/** @type {{ name: string, status: "passed" | "failed" | "skipped", passed: number, failed: number, seconds: number, note?: string }[]} */
const results = [];

function run(cmd, args, extraEnv = {}) {
  const started = Date.now();
  const r = spawnSync(cmd, args, {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, ...extraEnv },
  });
  const seconds = (Date.now() - started) / 1000;
  const code = r.status ?? 1;
  if (r.error) console.error(`[test-all] could not run ${cmd}: ${r.error.message}`);
  return { code, seconds };
}

function banner(name) {
  console.log(`\n━━━ ${name} ━━━`);
}

/** A non-vitest step: one test, passed when the command exits 0. */
function step(name, cmd, args, extraEnv) {
  banner(name);
  const { code, seconds } = run(cmd, args, extraEnv);
  const ok = code === 0;
  results.push({ name, status: ok ? "passed" : "failed", passed: ok ? 1 : 0, failed: ok ? 0 : 1, seconds });
  console.log(`[test-all] ${name}: ${ok ? "passed" : `FAILED (exit ${code})`} in ${seconds.toFixed(1)} s`);
}

function skip(name, why) {
  banner(name);
  console.log(`[test-all] ${name}: skipped (${why})`);
  results.push({ name, status: "skipped", passed: 0, failed: 0, seconds: 0, note: why });
}

/** A vitest step: counts come from the JSON reporter. */
function vitestStep(name, projects, jsonName) {
  banner(name);
  const jsonFile = path.join(OUT, jsonName);
  fs.rmSync(jsonFile, { force: true });
  const args = ["run", ...projects.flatMap((p) => ["--project", p])];
  args.push("--passWithNoTests", "--reporter=default", "--reporter=json", `--outputFile=${jsonFile}`);
  const { code, seconds } = run(path.join(BIN, "vitest"), args);
  let passed = 0;
  let failed;
  let note;
  try {
    const report = JSON.parse(fs.readFileSync(jsonFile, "utf8"));
    passed = report.numPassedTests ?? 0;
    failed = report.numFailedTests ?? 0;
    // A file that fails to load, or an error outside any test, fails the run without failing a test.
    if (code !== 0 && failed === 0) {
      failed = 1;
      note = `vitest exited ${code} with no failed test (a suite failed to load or an unhandled error)`;
    }
  } catch (e) {
    failed = 1;
    note = `no JSON report (${e instanceof Error ? e.message : String(e)})`;
  }
  const status = failed > 0 ? "failed" : "passed";
  results.push({ name, status, passed, failed, seconds, note });
  console.log(
    `[test-all] ${name}: ${passed} passed, ${failed} failed in ${seconds.toFixed(1)} s${note ? ` — ${note}` : ""}`,
  );
}

/** web-ext lint: errors fail the step, warnings are printed. */
function webExtLint() {
  const name = "web-ext lint (dist/firefox)";
  banner(name);
  const dir = path.join(ROOT, "dist/firefox");
  if (!fs.existsSync(path.join(dir, "manifest.json"))) {
    results.push({
      name,
      status: "failed",
      passed: 0,
      failed: 1,
      seconds: 0,
      note: "dist/firefox not built",
    });
    console.log(`[test-all] ${name}: FAILED (dist/firefox/manifest.json missing)`);
    return;
  }
  const started = Date.now();
  const r = spawnSync(
    path.join(BIN, "web-ext"),
    ["lint", "--source-dir", dir, "--output", "json", "--no-config-discovery"],
    {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, NO_UPDATE_NOTIFIER: "1" },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const seconds = (Date.now() - started) / 1000;
  let ok = false;
  let note;
  try {
    const text = r.stdout ?? "";
    const report = JSON.parse(text.slice(text.indexOf("{")));
    const show = (kind, list) => {
      for (const m of list ?? [])
        console.log(`  ${kind} ${m.code}: ${m.message}${m.file ? ` (${m.file})` : ""}`);
    };
    show("ERROR", report.errors);
    show("warning", report.warnings);
    show("notice", report.notices);
    const c = report.count ?? (report.errors?.length ?? 0) + (report.warnings?.length ?? 0);
    const errors = report.summary?.errors ?? report.errors?.length ?? 0;
    const warnings = report.summary?.warnings ?? report.warnings?.length ?? 0;
    console.log(`  ${errors} errors, ${warnings} warnings (${c} messages)`);
    ok = errors === 0;
    if (!ok) note = `${errors} errors`;
  } catch (e) {
    console.log(r.stdout ?? "");
    console.error(r.stderr ?? "");
    note = `could not read web-ext output (exit ${r.status}): ${e instanceof Error ? e.message : String(e)}`;
  }
  results.push({
    name,
    status: ok ? "passed" : "failed",
    passed: ok ? 1 : 0,
    failed: ok ? 0 : 1,
    seconds,
    note,
  });
  console.log(`[test-all] ${name}: ${ok ? "passed" : `FAILED — ${note}`} in ${seconds.toFixed(1)} s`);
}

const started = Date.now();

step("typecheck (tsc --noEmit -p .)", path.join(BIN, "tsc"), ["--noEmit", "-p", "."]);
step("lint (eslint .)", path.join(BIN, "eslint"), ["."]);
step("format (prettier --check .)", path.join(BIN, "prettier"), ["--check", "."]);
step("build (npm run build)", npm, ["run", "build"]);
vitestStep("vitest unit + dom + fuzz", ["unit", "dom", "fuzz"], "vitest-unit-dom.json");

for (const [script, file] of [
  ["eval", "tests/eval/judgement.ts"],
  ["eval:figures", "tests/eval/figures.ts"],
]) {
  const name = `npm run ${script} -- --floors`;
  if (fs.existsSync(path.join(ROOT, file))) step(name, npm, ["run", script, "--", "--floors"]);
  else skip(name, `${file} not present`);
}

// The bench's small run: it must keep working (speed targets live in its report, not in tests).
step("npm run bench -- --quick", npm, [
  "run",
  "bench",
  "--",
  "--quick",
  "--out",
  path.join(ROOT, "tests/output/bench-quick.json"),
]);

webExtLint();

if (process.env.PARALLAX_SKIP_E2E === "1") skip("vitest e2e (Chromium + Firefox)", "PARALLAX_SKIP_E2E=1");
else vitestStep("vitest e2e (Chromium + Firefox)", ["e2e"], "vitest-e2e.json");

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);

console.log("\n━━━ summary ━━━");
const width = Math.max(...results.map((r) => r.name.length));
for (const r of results) {
  const counts = r.status === "skipped" ? "skipped" : `${r.passed} passed, ${r.failed} failed`;
  const mark = r.status === "failed" ? "✗" : r.status === "skipped" ? "-" : "✓";
  console.log(
    `${mark} ${r.name.padEnd(width)}  ${r.seconds.toFixed(1).padStart(6)} s  ${counts}${r.note ? `  (${r.note})` : ""}`,
  );
}
console.log(`total time ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
