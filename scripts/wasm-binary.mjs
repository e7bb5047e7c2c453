// The few pieces of the WebAssembly binary format that the release hook's post-processing needs
// (scripts/short-wasm-names.mjs, scripts/prune-wasm-exports.mjs): reading and writing unsigned
// LEB128 integers and names, and rewriting sections one by one.

/** Reads an unsigned LEB128 integer at `at`: `[value, next offset]`. */
export function readU32(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

/** Writes `value` as an unsigned LEB128 integer. */
export function writeU32(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Buffer.from(out);
}

/** Reads a name (length, then UTF-8) at `at`: `[name, next offset]`. */
export function readName(bytes, at) {
  const [length, start] = readU32(bytes, at);
  return [bytes.toString("utf8", start, start + length), start + length];
}

/** Writes `name` as the format writes names. */
export function nameBytes(name) {
  const utf8 = Buffer.from(name, "utf8");
  return Buffer.concat([writeU32(utf8.length), utf8]);
}

/**
 * Rebuilds a module section by section: `rewrite(id, body)` returns the new body of a section,
 * or `null` to drop the section. Section ids: 0 custom, 2 import, 7 export.
 */
export function mapSections(wasm, rewrite) {
  const parts = [wasm.subarray(0, 8)];
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, start] = readU32(wasm, at + 1);
    const end = start + size;
    const body = rewrite(id, wasm.subarray(start, end));
    if (body !== null) parts.push(Buffer.from([id]), writeU32(body.length), body);
    at = end;
  }
  return Buffer.concat(parts);
}

/**
 * The exports of an export section's body: `{ name, start, nameEnd, end }` each, the offsets of
 * the entry, of its kind byte (after the name) and of the next entry.
 */
export function readExports(body) {
  let [count, at] = readU32(body, 0);
  const exports = [];
  for (let i = 0; i < count; i++) {
    const start = at;
    let name;
    [name, at] = readName(body, at);
    const [, indexEnd] = readU32(body, at + 1);
    exports.push({ name, start, nameEnd: at, end: indexEnd });
    at = indexEnd;
  }
  if (at !== body.length) throw new Error("the export section was not read to its end");
  return exports;
}

/**
 * The command line of a post-processing script, `node scripts/<script>.mjs <module.wasm>
 * <glue.js>` (usage printed and exit 1 without both), and its `fail(message)`, which prints
 * the message under the script's name and exits 1.
 */
export function moduleAndGlue(script) {
  const [wasmPath, jsPath] = process.argv.slice(2);
  if (!wasmPath || !jsPath) {
    console.error(`usage: node scripts/${script}.mjs <module.wasm> <glue.js>`);
    process.exit(1);
  }
  const fail = (message) => {
    console.error(`${script}: ${message}`);
    process.exit(1);
  };
  return { wasmPath, jsPath, fail };
}

/** A global regular expression that finds `name` in JavaScript as a whole identifier. */
export function wholeWord(name) {
  return new RegExp(`(?<![\\w$])${name.replace(/[$]/g, "\\$")}(?![\\w$])`, "g");
}
