import preact from "@preact/preset-vite";
import { build as esbuild } from "esbuild";
import { defineConfig, type Plugin } from "vite";
import webExtension from "vite-plugin-web-extension";

/**
 * The popup as ONE classic script, `popup/popup.js` (popup/popup.html loads it in <head>): its
 * first lines ask the background for the report while the page is still being parsed, and the
 * rest (Preact, the components) is evaluated while the answer is on its way, with no module graph
 * to fetch before it runs. Vite's pages are ES modules, hence esbuild (as for the CLI). The
 * popup's stylesheet is the page's <link>, which Vite builds.
 */
function popupScript(outDir: string): Plugin {
  return {
    name: "parallax-popup-script",
    apply: "build",
    async writeBundle() {
      await esbuild({
        entryPoints: ["popup/popup.tsx"],
        outfile: `${outDir}/popup/popup.js`,
        bundle: true,
        format: "iife",
        target: "es2022",
        minify: true,
        jsx: "automatic",
        jsxImportSource: "preact",
        legalComments: "none",
        logLevel: "warning",
      });
    },
  };
}

// `vite build --mode chrome` → dist/chrome, `--mode firefox` → dist/firefox.
// Kept thin on purpose: the manifest lists every entry point (popup, options, worker, content).
export default defineConfig(({ mode }) => {
  const browser = mode === "firefox" ? "firefox" : "chrome";
  const outDir = `dist/${browser}`;
  return {
    build: { outDir, emptyOutDir: true, sourcemap: false, target: "es2022" },
    plugins: [
      preact(),
      webExtension({
        manifest: "manifest.json",
        browser,
        // The published schema would be fetched over the network; both browsers load the result in e2e.
        skipManifestValidation: true,
        disableAutoLaunch: true,
        // Chrome's offscreen document (feed pages are parsed there); not named in the manifest.
        additionalInputs: browser === "chrome" ? ["src/offscreen/offscreen.html"] : [],
      }),
      popupScript(outDir),
    ],
  };
});
