// Loader of the account pages: starts the WebAssembly app (crates/account).
import init, { mount_account } from "./account.js";

await init({ module_or_path: new URL("account_bg.wasm", import.meta.url) });
mount_account();
