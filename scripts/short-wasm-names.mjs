// Shortens the names the WebAssembly module and its wasm-bindgen JS glue share: every import
// (`__wbg_<name>_<16 hex digits>`, one per browser API the app calls) and the long exports (the
// closure shims, `wasm_bindgen_<hash>___convert__closures_____invoke___…`, up to 330 characters).
// Each name is written once in the module and once or more in the glue; the hashes are random to
// brotli, so the two files carried about 2 KB brotli of names nobody reads (docs/performance.md,
// section 1). Both sides are renamed together, so the pair behaves exactly as before. The
// module's custom sections, which no browser reads, are dropped on the way.
//
//   node scripts/short-wasm-names.mjs <module.wasm> <glue.js>
//
// Called by scripts/trunk-loader.mjs on release builds, after terser. It refuses (exit 1, files
// untouched) when a name it would rename is not found in the glue as a whole word, or when a
// new name is already used there: the glue would then no longer match the module.
import { readFileSync, writeFileSync } from "node:fs";

import {
  mapSections,
  moduleAndGlue,
  nameBytes,
  readExports,
  readName,
  readU32,
  wholeWord,
  writeU32,
} from "./wasm-binary.mjs";

const { wasmPath, jsPath, fail } = moduleAndGlue("short-wasm-names");

const wasm = readFileSync(wasmPath);
let js = readFileSync(jsPath, "utf8");

// The length of an import's description after its kind byte (function, table, memory, global).
function limitsEnd(bytes, at) {
  const flags = bytes[at++];
  [, at] = readU32(bytes, at);
  if (flags & 1) [, at] = readU32(bytes, at);
  return at;
}
function importDescEnd(bytes, at) {
  const kind = bytes[at++];
  switch (kind) {
    case 0: // function: type index
    case 4: // tag: attribute, type index
      if (kind === 4) at++;
      return readU32(bytes, at)[1];
    case 1: // table: reference type, limits
      return limitsEnd(bytes, at + 1);
    case 2: // memory: limits
      return limitsEnd(bytes, at);
    case 3: // global: value type, mutability
      return at + 2;
    default:
      fail(`unknown import kind ${kind}`);
  }
}

// New names: `$` and a base-36 counter, so they cannot clash with wasm-bindgen's own names (which
// never start with `$`); checked against the glue all the same.
let counter = 0;
const fresh = () => {
  for (;;) {
    const name = `$${(counter++).toString(36)}`;
    if (!new RegExp(`(?<![\\w$])\\${name}(?![\\w$])`).test(js)) return name;
  }
};
const word = wholeWord;
const renamed = new Map();
// The names the glue exports to the page (`export function mount_pricing_widget`, `export class`,
// `export { a as name }`): a page calls them, so a module export of the same name, which the
// glue's wrapper shares, keeps it (the widget, the quote page and the account pages export
// their mount functions; the checkout starts by itself and exports none).
const pageExports = new Set([
  ...[...js.matchAll(/export\s+(?:async\s+)?(?:function\*?|class|const|let|var)\s+([\w$]+)/g)].map((m) => m[1]),
  ...[...js.matchAll(/export\s*\{([^}]*)\}/g)].flatMap((m) =>
    m[1].split(",").map((part) => part.trim().split(/\s+as\s+/).pop()),
  ),
]);
// Imports are renamed when the glue holds the name exactly once (its key in the imports object);
// exports of at least 12 characters when the glue uses them (`wasm.<name>`) and does not export
// them to the page. `memory`, `main` and the other short exports stay as they are: renaming them
// would save nothing.
function rename(name, isImport) {
  if (renamed.has(name)) return renamed.get(name);
  const uses = (js.match(word(name)) ?? []).length;
  if (isImport ? uses !== 1 : uses === 0 || name.length < 12 || pageExports.has(name)) {
    if (isImport) fail(`import ${name} is named ${uses} times in the glue, expected once`);
    return name;
  }
  const next = fresh();
  renamed.set(name, next);
  return next;
}

// Custom sections (`producers`, `target_features` and the like) are dropped: the browser reads
// none of them, and wasm-bindgen, which needs `target_features`, has run before.
const renamedWasm = mapSections(wasm, (id, body) => {
  if (id === 0) return null;
  if (id === 7) {
    // An entry is its name, then its kind and index, kept as they are.
    const entries = readExports(body).map(({ name, nameEnd, end }) =>
      Buffer.concat([nameBytes(rename(name, false)), body.subarray(nameEnd, end)]),
    );
    return Buffer.concat([writeU32(entries.length), ...entries]);
  }
  if (id !== 2) return body;
  let [count, p] = readU32(body, 0);
  const out = [writeU32(count)];
  for (let i = 0; i < count; i++) {
    let module, name;
    [module, p] = readName(body, p);
    [name, p] = readName(body, p);
    const descEnd = importDescEnd(body, p);
    // Only the glue's own imports (wasm-bindgen names their module `./<crate>_bg.js`): a
    // snippet's imports are named by the snippet's own file, which stays as it is.
    const next = /^\.\/\w+_bg\.js$/.test(module) ? rename(name, true) : name;
    out.push(nameBytes(module), nameBytes(next), body.subarray(p, descEnd));
    p = descEnd;
  }
  if (p !== body.length) fail("the import section was not read to its end");
  return Buffer.concat(out);
});

for (const [name, next] of renamed) js = js.replace(word(name), next);
for (const name of renamed.keys()) {
  if (word(name).test(js)) fail(`${name} is still in the glue`);
}
writeFileSync(wasmPath, renamedWasm);
writeFileSync(jsPath, js);
const saved = [...renamed].reduce((sum, [name, next]) => sum + name.length - next.length, 0);
console.log(`short-wasm-names: ${renamed.size} names shortened, ${saved} characters in each file`);
