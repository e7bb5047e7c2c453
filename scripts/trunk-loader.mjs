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
  const path = join(dir, glue[0]);
  const module = join(dir, glue[0].replace(/\.js$/, "_bg.wasm"));
  const step = (what, command, args) => {
    const run = spawnSync(command, args, { stdio: "inherit" });
    if (run.error || run.status !== 0) {
      console.error(`trunk-loader: ${what} failed on ${glue[0]} (run scripts/setup.sh): ${run.error ?? run.status}`);
      process.exit(1);
    }
  };
  // wasm-streams' classes and exports, which nothing calls, out of the glue and the module
  // (scripts/prune-wasm-exports.mjs), on the glue as wasm-bindgen wrote it.
  step("prune-wasm-exports", "node", [join(source, "scripts", "prune-wasm-exports.mjs"), module, path]);
  const terser = join(source, ".tools", "terser", "node_modules", ".bin", "terser");
  step("terser", terser, [path, "--module", "--compress", "--mangle", "-o", path]);
  console.log(`trunk-loader: ${glue[0]} minified with terser`);
  // wasm-opt runs here rather than in Trunk (index.html sets data-wasm-opt="0"), after the
  // pruning, so that it drops the code only the removed exports reached. It must accept the
  // WebAssembly features rustc enables by default for wasm32-unknown-unknown (all of them are
  // baseline in current browsers); `--converge` repeats -Oz until it stops shrinking the module
  // (about 1 KB brotli).
  // `--low-memory-unused` lets wasm-opt fold a constant added to an address into the load's or
  // store's offset, which differs from the addition only when that addition wraps around 2^32,
  // that is when the address lands in the lowest 1 KB of memory. Rust's wasm32 layout puts the
  // 1 MB stack first, growing down towards address 0, and no data below it, so that kilobyte is
  // touched only by a stack 1023 KB deep; a stack that deep traps either way once it passes 0.
  // It saves about 1 KB brotli (docs/performance.md, section 1).
  const wasmOpt = join(source, ".tools", "binaryen", "node_modules", ".bin", "wasm-opt");
  step("wasm-opt", wasmOpt, [
    "--low-memory-unused",
    "-Oz",
    "--converge",
    ...["bulk-memory", "bulk-memory-opt", "nontrapping-float-to-int", "sign-ext", "mutable-globals"]
      .concat(["reference-types", "multivalue"])
      .map((feature) => `--enable-${feature}`),
    module,
    "-o",
    module,
  ]);
  // The names the module and the glue share, shortened in both, and the module's custom
  // sections dropped (scripts/short-wasm-names.mjs): 3.3 KB brotli of the checkout's budget
  // (docs/performance.md, section 1).
  step("short-wasm-names", "node", [join(source, "scripts", "short-wasm-names.mjs"), module, path]);
}
