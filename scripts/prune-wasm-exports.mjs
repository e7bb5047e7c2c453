// Removes the JS classes of wasm-streams from the wasm-bindgen glue, and their exports from the
// module, before wasm-opt: Leptos 0.8 always enables `server_fn/browser`, whose streaming bodies
// bring wasm-streams and its three exported Rust types (`IntoUnderlyingSource`,
// `IntoUnderlyingByteSource`, `IntoUnderlyingSink`). An export is a root the linker and wasm-opt
// must keep, so their methods and classes stayed in the checkout although it calls no server
// function and never creates one of them; without the exports wasm-opt drops the methods (the
// futures they start stay, since their vtables are in the function table, which wasm-opt keeps):
// 1.2 KB brotli of the module and the glue (docs/performance.md, section 1).
//
//   node scripts/prune-wasm-exports.mjs <module.wasm> <glue.js>
//
// Called by scripts/trunk-loader.mjs on release builds, on the glue as wasm-bindgen wrote it
// (before terser) and before wasm-opt. It refuses (exit 1, files untouched) when the glue does not
// have the shape it expects, or when anything outside a class's own code names it (a `__wrap`
// that would hand one to JavaScript): the class would then be in use.
import { readFileSync, writeFileSync } from "node:fs";

import { mapSections, moduleAndGlue, readExports, wholeWord, writeU32 } from "./wasm-binary.mjs";

/** The classes removed: wasm-streams', exported through server_fn, unused by the app. */
const CLASSES = ["IntoUnderlyingByteSource", "IntoUnderlyingSink", "IntoUnderlyingSource"];

const { wasmPath, jsPath, fail } = moduleAndGlue("prune-wasm-exports");
const word = wholeWord;

let js = readFileSync(jsPath, "utf8");
const removed = [];
for (const name of CLASSES) {
  // The class (its closing brace alone on a line), its `Symbol.dispose` alias and its
  // finalization registry, as wasm-bindgen 0.2 writes them.
  const pieces = [
    new RegExp(`^export class ${name} \\{\\n[\\s\\S]*?^\\}\\n`, "m"),
    new RegExp(`^if \\(Symbol\\.dispose\\) ${name}\\.prototype\\[Symbol\\.dispose\\] = ${name}\\.prototype\\.free;\\n`, "m"),
    new RegExp(`^const ${name}Finalization = [^;]*;\\n`, "m"),
  ];
  for (const piece of pieces) {
    const match = js.match(piece);
    if (!match) fail(`the glue has no ${piece.source}: wasm-bindgen writes it otherwise now`);
    removed.push(match[0]);
    js = js.replace(piece, "");
  }
  if (word(name).test(js)) fail(`${name} is still named in the glue: something uses it`);
}

// The module's exports that only the removed code called (`wasm.<name>`).
const calledBy = (text) => new Set([...text.matchAll(/\bwasm\.(\w+)/g)].map((m) => m[1]));
const stillCalled = calledBy(js);
const unused = new Set([...calledBy(removed.join(""))].filter((name) => !stillCalled.has(name)));

const wasm = readFileSync(wasmPath);
let dropped = 0;
const pruned = mapSections(wasm, (id, body) => {
  if (id !== 7) return body;
  const kept = readExports(body).filter(({ name }) => !unused.has(name));
  dropped = readExports(body).length - kept.length;
  return Buffer.concat([writeU32(kept.length), ...kept.map(({ start, end }) => body.subarray(start, end))]);
});
if (dropped !== unused.size) fail(`removed ${dropped} exports, expected ${unused.size}`);
writeFileSync(wasmPath, pruned);
writeFileSync(jsPath, js);
console.log(`prune-wasm-exports: ${CLASSES.length} classes and ${dropped} exports removed`);
