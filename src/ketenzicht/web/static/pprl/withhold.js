// The intake form with identities withheld (templates/signals/_withhold.html, issue 22).
//
// When "my organisation does not share identities" is ticked, the name, employer, address,
// phone number and plate are encoded here, with the key combined from the organisation's
// shares, and only the encodings and the key's year are posted: the raw fields are emptied
// and disabled before the form goes, so the browser does not send them. The key fields have
// no name (a form never sends an unnamed field) and the key lives in this page's memory only.
// Without this script the server refuses raw identities with withholding on (422).
import { PprlError, combineShares, encodeRecord, fingerprint } from "./pprl.js";

const FIELDS = { pseudonym: "person", employer: "employer", address: "address",
  phone: "phone", vehicle: "vehicle" };

const panel = document.getElementById("pprl-panel");
const form = panel && panel.closest("form");
const toggle = form && form.querySelector("input[name=withhold_identities]");

function text(name) {
  // The sentences are the template's (translated there), in data-msg-* of the panel.
  return panel.dataset["msg" + name[0].toUpperCase() + name.slice(1)] || "";
}

let key = null;
let phoneLib = null;

function status(message) {
  document.getElementById("pprl-status").textContent = message;
}

function loadPhoneLib() {
  // 580 KB, loaded only when withholding is used; a classic script (it is a UMD bundle).
  if (globalThis.libphonenumber) return Promise.resolve();
  if (!phoneLib) {
    phoneLib = new Promise((resolve, reject) => {
      const tag = document.createElement("script");
      tag.src = document.getElementById("pprl-script").dataset.phonelib;
      tag.onload = () => resolve();
      tag.onerror = () => reject(new PprlError("libphonenumber did not load"));
      document.head.appendChild(tag);
    });
  }
  return phoneLib;
}

async function readKey(source) {
  key = null;
  if (!source.trim()) {
    status("");
    return;
  }
  try {
    key = combineShares(source);
    status(text("key").replace("{version}", key.version)
      .replace("{fingerprint}", await fingerprint(key)));
  } catch (error) {
    status(error.message);
  }
}

function show() {
  panel.hidden = !toggle.checked;
  if (toggle.checked) loadPhoneLib().catch((error) => status(error.message));
}

async function submit(event) {
  if (!toggle.checked || form.dataset.pprlEncoded === "1") return;
  event.preventDefault();
  const inputs = Object.keys(FIELDS).map((name) => form.querySelector(`[name=${name}]`))
    .filter(Boolean);
  const record = {};
  for (const input of inputs) if (input.value.trim()) record[FIELDS[input.name]] = input.value;
  const hidden = document.getElementById("pprl-encodings");
  hidden.value = "";
  if (Object.keys(record).length) {
    if (!key) {
      status(text("needkey"));
      document.getElementById("pprl-shares").focus();
      return;
    }
    try {
      await loadPhoneLib();
      record.birth_year = document.getElementById("pprl-birth-year").value;
      const schema = JSON.parse(panel.dataset.pprlSchema);
      hidden.value = JSON.stringify(await encodeRecord(record, key, schema));
    } catch (error) {
      status(text("failed") + error.message);
      return;
    }
    status(text("sending"));
  }
  for (const input of inputs) {
    input.value = "";
    input.disabled = true;
  }
  form.dataset.pprlEncoded = "1";
  form.submit();
}

if (panel && form && toggle) {
  toggle.addEventListener("change", show);
  show();
  document.getElementById("pprl-shares").addEventListener("input",
    (event) => readKey(event.target.value));
  document.getElementById("pprl-shares-file").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (file) await readKey(await file.text());
  });
  form.addEventListener("submit", (event) => {
    submit(event).catch((error) => status(text("failed") + error.message));
  });
  // Back from the result page (bfcache): the fields are enabled again, and empty.
  window.addEventListener("pageshow", () => {
    delete form.dataset.pprlEncoded;
    for (const name of Object.keys(FIELDS)) {
      const input = form.querySelector(`[name=${name}]`);
      if (input) input.disabled = false;
    }
  });
}
