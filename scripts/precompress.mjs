// Writes a brotli (.br, quality 11) and a gzip (.gz, level 9) copy next to every text and
// WebAssembly file of the given folders, which the order server sends to browsers that accept
// them (crates/server/src/routes/web.rs). Compressing once at build time lets the server send the
// smallest encoding without spending CPU per request.
//
//   node scripts/precompress.mjs dist [more folders...]
//
// Copies are rewritten on every run, and a copy whose original is gone or is no longer compressed
// is deleted, so a copy never outlives or contradicts its original. A copy that would not be
// smaller than the original is not written: the server then sends the original.
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";

const COMPRESSIBLE = new Set([".wasm", ".js", ".mjs", ".css", ".html", ".svg", ".json", ".webmanifest", ".txt"]);
const COPIES = [".br", ".gz"];

const folders = process.argv.slice(2);
if (folders.length === 0) {
  console.error("usage: node scripts/precompress.mjs <folder> [folder...]");
  process.exit(2);
}

function* files(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile()) yield path;
  }
}

function compress(data, encoding, path) {
  if (encoding === ".br") {
    return brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        [constants.BROTLI_PARAM_MODE]:
          extname(path) === ".wasm" ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
      },
    });
  }
  return gzipSync(data, { level: 9 });
}

let written = 0;
let saved = 0;
for (const folder of folders) {
  const all = [...files(folder)];
  const originals = all.filter((path) => COMPRESSIBLE.has(extname(path)));
  for (const path of originals) {
    const data = readFileSync(path);
    for (const encoding of COPIES) {
      const copy = compress(data, encoding, path);
      if (copy.length < data.length) {
        writeFileSync(path + encoding, copy);
        written += 1;
        if (encoding === ".br") saved += data.length - copy.length;
      } else {
        rmSync(path + encoding, { force: true });
      }
    }
  }
  // Copies left from an earlier build whose original is gone.
  for (const path of all) {
    const encoding = extname(path);
    if (!COPIES.includes(encoding)) continue;
    const original = path.slice(0, -encoding.length);
    let exists = false;
    try {
      exists = statSync(original).isFile() && COMPRESSIBLE.has(extname(original));
    } catch {
      exists = false;
    }
    if (!exists) rmSync(path);
  }
}
console.log(`precompress: ${written} copies in ${folders.join(", ")}; brotli saves ${saved} bytes`);
