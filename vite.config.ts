import preact from "@preact/preset-vite";
import { defineConfig } from "vite";
import webExtension from "vite-plugin-web-extension";

// `vite build --mode chrome` → dist/chrome, `--mode firefox` → dist/firefox.
// Kept thin on purpose: the manifest lists every entry point (popup, options, worker, content).
export default defineConfig(({ mode }) => {
  const browser = mode === "firefox" ? "firefox" : "chrome";
  return {
    build: { outDir: `dist/${browser}`, emptyOutDir: true, sourcemap: false, target: "es2022" },
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
    ],
  };
});
