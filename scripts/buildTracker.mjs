// Bundles the browser tracker with esbuild into public/: streamscope.js (the script tag's, an
// IIFE reading its data attributes) and streamscope.mjs (an ES module exporting track() and the
// adapters). next.config.mjs runs it whenever Next builds or serves in development, so `next build`
// alone (Vercel, Docker, scripts/e2e.sh) always ships the tracker of its sources.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The tracker's bundles, as the browser gets them; written to public/ unless `write` is false. */
export function buildTracker({ write = true } = {}) {
  const common = {
    bundle: true,
    minify: true,
    target: "es2020",
    platform: "browser",
    write: false,
    metafile: true,
    absWorkingDir: root,
    tsconfig: path.join(root, "tsconfig.json"),
    legalComments: "none",
  };
  const script = buildSync({ ...common, entryPoints: ["src/tracker/script.ts"], format: "iife" });
  const esm = buildSync({ ...common, entryPoints: ["src/tracker/index.ts"], format: "esm" });
  const out = {
    script: { code: script.outputFiles[0].contents, inputs: Object.keys(script.metafile.inputs) },
    esm: { code: esm.outputFiles[0].contents, inputs: Object.keys(esm.metafile.inputs) },
  };
  if (write) {
    fs.mkdirSync(path.join(root, "public"), { recursive: true });
    fs.writeFileSync(path.join(root, "public/streamscope.js"), out.script.code);
    fs.writeFileSync(path.join(root, "public/streamscope.mjs"), out.esm.code);
  }
  return out;
}
