#!/usr/bin/env python3
"""What each crate costs in a WebAssembly file: code bytes per crate, from the function names of
the wasm's "name" section (the linker's output, before wasm-bindgen and wasm-opt strip them).

    bench/wasm-crates.py target/wasm32-unknown-unknown/release/checkout.wasm [top]

The sizes are of function bodies before wasm-opt, so they rank the crates rather than give the
shipped bytes; data (string constants, tables) is reported as one line.
"""
import re
import sys
from collections import Counter


def leb(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def sections(data):
    pos = 8
    while pos < len(data):
        kind = data[pos]
        size, pos = leb(data, pos + 1)
        yield kind, data[pos:pos + size]
        pos += size


def imported_functions(payload):
    count, pos = leb(payload, 0)
    functions = 0
    for _ in range(count):
        for _ in range(2):  # module and field names
            length, pos = leb(payload, pos)
            pos += length
        kind = payload[pos]
        pos += 1
        if kind == 0:
            _, pos = leb(payload, pos)
            functions += 1
        elif kind == 1:  # table: reftype, limits
            pos += 1
            flags, pos = leb(payload, pos)
            _, pos = leb(payload, pos)
            if flags & 1:
                _, pos = leb(payload, pos)
        elif kind == 2:  # memory: limits
            flags, pos = leb(payload, pos)
            _, pos = leb(payload, pos)
            if flags & 1:
                _, pos = leb(payload, pos)
        elif kind == 3:  # global: type, mutability
            pos += 2
        else:
            _, pos = leb(payload, pos)
    return functions


def unescape(component):
    for code, text in (("$LT$", "<"), ("$GT$", ">"), ("$RF$", "&"), ("$BP$", "*"), ("$u20$", " "),
                       ("$C$", ","), ("$u27$", "'"), ("$u5b$", "["), ("$u5d$", "]"), ("..", "::")):
        component = component.replace(code, text)
    return component.lstrip("_")


def crate_of(name):
    """The crate a function belongs to (for a trait impl, the crate of the implementing type)."""
    if name.startswith("__wbindgen_describe"):
        return "(wasm-bindgen descriptors: removed by wasm-bindgen, not shipped)"
    if name.startswith("_ZN"):  # legacy mangling: length-prefixed components
        match = re.match(r"_ZN(\d+)", name)
        if match:
            length = int(match.group(1))
            component = unescape(name[match.end():match.end() + length])
            return component if "<" not in component and "::" not in component else crate_of(component)
    if name.startswith("_R"):  # v0 mangling: the first crate root "C<disambiguator>_<len><name>"
        match = re.search(r"C(?:s[0-9A-Za-z]*_)?(\d+)", name)
        if match:
            length = int(match.group(1))
            return name[match.end():match.end() + length]
    name = unescape(name) if "$" in name or ".." in name else name
    name = name.lstrip("<&* ")
    name = re.sub(r"^(dyn |impl |mut |const )+", "", name).lstrip("<&* ")
    # "<T as serde::Serialize>": a generic type; the trait's crate is the better guess.
    name = re.sub(r"^[A-Z][A-Za-z0-9_]* as ", "", name)
    match = re.match(r"([A-Za-z_][A-Za-z0-9_]*)::", name)
    return match.group(1) if match else "(other: " + name.split("(")[0][:40] + ")"


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    data = open(path, "rb").read()
    imports = 0
    bodies = []
    names = {}
    data_bytes = 0
    for kind, payload in sections(data):
        if kind == 2:
            imports = imported_functions(payload)
        elif kind == 10:
            count, pos = leb(payload, 0)
            for _ in range(count):
                size, pos = leb(payload, pos)
                bodies.append(size)
                pos += size
        elif kind == 11:
            data_bytes += len(payload)
        elif kind == 0:
            length, pos = leb(payload, 0)
            if payload[pos:pos + length] != b"name":
                continue
            pos += length
            while pos < len(payload):
                sub = payload[pos]
                size, pos = leb(payload, pos + 1)
                end = pos + size
                if sub == 1:
                    count, p = leb(payload, pos)
                    for _ in range(count):
                        index, p = leb(payload, p)
                        length, p = leb(payload, p)
                        names[index] = payload[p:p + length].decode("utf-8", "replace")
                        p += length
                pos = end
    per_crate = Counter()
    for offset, size in enumerate(bodies):
        per_crate[crate_of(names.get(imports + offset, "(unnamed)"))] += size
    total = sum(bodies)
    print(f"{path}: {len(data)} bytes; code {total} bytes in {len(bodies)} functions, data {data_bytes} bytes")
    for crate, size in per_crate.most_common(top):
        print(f"  {size:>9} {100 * size / total:5.1f}%  {crate}")


if __name__ == "__main__":
    main()
