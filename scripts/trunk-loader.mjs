// Trunk post-build hook: moves the inline module script Trunk writes into index.html (the loader
// that imports the wasm-bindgen JS and starts the app) into its own file, so the page runs under
// the order server's Content-Security-Policy (`script-src 'self'`, no inline script), and makes it
// start the app after the page's first frame, without Trunk's preloads (see below). In a tab
// opened in the background the app then starts when the tab is first shown (no frames before).
//
// Trunk runs it with TRUNK_STAGING_DIR set (see Trunk.toml [[hooks]]).
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("trunk-loader: TRUNK_STAGING_DIR is not set (run me from Trunk)");
  process.exit(1);
}
const indexPath = join(dir, "index.html");
const html = readFileSync(indexPath, "utf8");
const inline = /<script type="?module"?>([\s\S]*?)<\/script>/;
const match = html.match(inline);
if (!match) {
  console.error("trunk-loader: no inline module script in index.html");
  process.exit(1);
}
// The page draws its first screen from HTML (index.html, issue 16), so the WebAssembly need not
// compete with it: the loader starts fetching the app after the first frame, and the page drops
// Trunk's preloads of it, which a slow network would otherwise load alongside the style sheet.
const importLine = /^import init, \* as bindings from '([^']+)';$/m;
if (!importLine.test(match[1])) {
  console.error("trunk-loader: Trunk's loader no longer starts with the expected import");
  process.exit(1);
}
const code =
  match[1]
    .trim()
    .replace(
      importLine,
      "await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));\n" +
        "const bindings = await import('$1');\nconst init = bindings.default;",
    ) + "\n";
const withoutPreloads = html.replace(/<link\b[^>]*preload[^>]*>\s*/g, (tag) =>
  tag.includes("/checkout-") ? "" : tag,
);
const hash = createHash("sha256").update(code).digest("hex").slice(0, 16);
const name = `loader-${hash}.js`;
writeFileSync(join(dir, name), code);
writeFileSync(indexPath, withoutPreloads.replace(inline, `<script type="module" src="/${name}"></script>`));
console.log(`trunk-loader: inline loader moved to ${name}`);

// Release builds: the wasm-bindgen glue (checkout-<hash>.js) is minified with terser, which
// scripts/setup.sh installs (Trunk's own minifier cannot parse it and ships it as written). It
// saves 1.3 KB brotli of the checkout's 150 KB budget (docs/performance.md, section 1). Nothing
// checks the file's hash (the preloads that carried one are dropped above), and the exports keep
// their names (`--module` mangles only local names).
if (process.env.TRUNK_PROFILE === "release") {
  const glue = readdirSync(dir).filter((file) => /^checkout-[0-9a-f]+\.js$/.test(file));
  if (glue.length !== 1) {
    console.error(`trunk-loader: expected one checkout-<hash>.js, found ${glue.length}`);
    process.exit(1);
  }
  const source = process.env.TRUNK_SOURCE_DIR ?? process.cwd();
  const terser = join(source, ".tools", "terser", "node_modules", ".bin", "terser");
  const path = join(dir, glue[0]);
  const run = spawnSync(terser, [path, "--module", "--compress", "--mangle", "-o", path], {
    stdio: "inherit",
  });
  if (run.error || run.status !== 0) {
    console.error(`trunk-loader: terser failed on ${glue[0]} (run scripts/setup.sh): ${run.error ?? run.status}`);
    process.exit(1);
  }
  console.log(`trunk-loader: ${glue[0]} minified with terser`);
  // The names the module and the glue share, shortened in both (scripts/short-wasm-names.mjs):
  // 3.3 KB brotli of the checkout's budget (docs/performance.md, section 1).
  const module = glue[0].replace(/\.js$/, "_bg.wasm");
  const names = spawnSync("node", [join(source, "scripts", "short-wasm-names.mjs"), join(dir, module), path], {
    stdio: "inherit",
  });
  if (names.error || names.status !== 0) {
    console.error(`trunk-loader: short-wasm-names failed on ${module}: ${names.error ?? names.status}`);
    process.exit(1);
  }
}
