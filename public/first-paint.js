// The checkout's first paint (issue 16): see index.html.
const root = document.getElementById("first-paint");
const form = root.querySelector("form");
const button = root.querySelector("button");
let returning, switched, submitted;
root.hidden = false;
try {
  returning = sessionStorage.getItem("checkout.token");
  if (localStorage.getItem("checkout.lang") == "en") {
    document.documentElement.lang = "en";
    for (const el of root.querySelectorAll("[data-en]")) el.textContent = el.dataset.en;
    button.lang = "it";
    button.ariaLabel = "Passa all'italiano";
  }
} catch {}
button.onclick = () => (switched = !switched);
form.parentNode.hidden = returning;
root.querySelector(".skeleton").hidden = !returning;
form.onsubmit = (event) => {
  event.preventDefault();
  submitted = 1;
};
addEventListener("TrunkApplicationStarted", () => {
  const app = [...document.body.children].filter((el) => el != root);
  const main = document.querySelector("body>main");
  for (const input of form.querySelectorAll("input")) {
    const twin = main.querySelector("#" + input.id);
    if (!twin) continue;
    twin.value = input.value;
    twin.dispatchEvent(new Event("input", { bubbles: true }));
    if (document.activeElement == input) {
      twin.focus();
      try {
        twin.setSelectionRange(input.selectionStart, input.selectionEnd);
      } catch {}
    }
  }
  const done = () => {
    if (returning && main.querySelector("#email") && !main.querySelector(".error")) return;
    observer.disconnect();
    root.remove();
    for (const el of app) el.hidden = false;
  };
  const observer = new MutationObserver(done);
  for (const el of app) el.hidden = returning;
  observer.observe(main, { childList: true, subtree: true });
  done();
  if (switched) document.querySelector("body>header button").click();
  if (submitted) main.querySelector("form").requestSubmit();
});
