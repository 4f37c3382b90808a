// Encoding at the source, in the browser (issue 22): the same bytes as the Python encoder
// (src/ketenzicht/signals/pprl/encode.py), so that a signal encoded on the intake page links
// with one encoded by `ketenzicht linkage encode` at another organisation.
//
// Nothing here talks to the server. The key is combined from the organisation's shares in
// memory and never stored; tests/browser/test_pprl_js.py holds this file byte-equal to Python
// on a table of awkward inputs. Phone numbers are parsed with Google's libphonenumber (the
// vendored browser bundle, loaded by a classic <script> before this module, as
// globalThis.libphonenumber), the library Python's `phonenumbers` is a port of.
//
// Every step mirrors one line of signals/linkage.py (normalise, fold) or signals/pprl
// (keys.combine, LinkageKey.field_key, encode_field, bloom_field, qgrams); change both or neither.

const SHARE = /^kz-share-(\d{4})-(\d+)of(\d+)-([0-9a-f]{64})$/;
const SECRET_BYTES = 32;

// signals/linkage.py _CYRILLIC, applied to each character after lower-casing.
const CYRILLIC = {
  "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "з": "z", "и": "i", "й": "i",
  "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
  "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sht", "ъ": "a",
  "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "є": "ye", "і": "i", "ї": "yi",
  "ґ": "g", "ж": "zh", "ё": "yo",
};
const LEGAL_FORMS =
  /\b(b ?v|n ?v|v ?o ?f|c ?v|holding|bv|nv|vof|gmbh|ltd|s ?r ?l|sp z o ?o)\b/g;
const NON_ALNUM = /[^a-z0-9 ]+/g;
const POSTCODE = /\b(\d{4}) ?([a-z]{2})\b/g;
const STREET_SUFFIX = /(straat|str)\b/g;
// Python's str.isspace() characters: str.strip() removes exactly these (JS trim() differs).
const PY_SPACE = new Set("\u0009\u000a\u000b\u000c\u000d\u001c\u001d\u001e\u001f\u0020" +
  "\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" +
  "\u2028\u2029\u202f\u205f\u3000");

const encoder = new TextEncoder();

export class PprlError extends Error {}

// -- the key ----------------------------------------------------------------------------

function hexToBytes(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

function bytesToHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// keys.combine: every share of one version, XOR-ed; an error says what is wrong.
export function combineShares(text) {
  const lines = text.split(/\r?\n/).map((ln) => ln.trim()).filter(Boolean);
  const parsed = lines.map((ln) => {
    const m = SHARE.exec(ln);
    if (!m) throw new PprlError("not a linkage share: " + ln.slice(0, 20) + "…");
    return { version: m[1], index: Number(m[2]), total: Number(m[3]), bytes: hexToBytes(m[4]) };
  });
  if (!parsed.length) throw new PprlError("no linkage shares given");
  const versions = new Set(parsed.map((p) => p.version));
  const totals = new Set(parsed.map((p) => p.total));
  if (versions.size !== 1 || totals.size !== 1) {
    throw new PprlError("the shares belong to different keys (version or number differs)");
  }
  const total = parsed[0].total;
  const seen = new Set(parsed.map((p) => p.index));
  const missing = [];
  for (let i = 1; i <= total; i++) if (!seen.has(i)) missing.push(i);
  if (missing.length || parsed.length !== total) {
    throw new PprlError("all " + total + " shares are needed; missing: " +
      (missing.length ? missing.join(", ") : "duplicates"));
  }
  const secret = new Uint8Array(SECRET_BYTES);
  for (const p of parsed) for (let i = 0; i < SECRET_BYTES; i++) secret[i] ^= p.bytes[i];
  return { version: parsed[0].version, secret };
}

async function hmac(keyBytes, data) {
  const key = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" },
    false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, data));
}

// LinkageKey.fingerprint: the public check value the organisations compare.
export async function fingerprint(key) {
  return bytesToHex(await hmac(key.secret, encoder.encode("fingerprint"))).slice(0, 16);
}

// LinkageKey.field_key
function fieldKey(key, schemaVersion, field) {
  return hmac(key.secret,
    encoder.encode("ketenzicht/pprl/" + schemaVersion + "/" + key.version + "/" + field));
}

// -- normalisation (signals/linkage.py) ---------------------------------------------------

// unicodedata.combining(ch) != 0, without a table: canonical reordering (which NFD applies)
// swaps two adjacent marks only when both have a non-zero combining class, the first the
// higher. U+035D has class 234, U+0334 class 1; every non-zero class is below 234 or above 1.
function combining(ch) {
  if (ch.charCodeAt(0) < 0x80) return false;
  const after = "a\u035d" + ch;
  const before = "a" + ch + "\u0334";
  return after.normalize("NFD") !== after || before.normalize("NFD") !== before;
}

function pyStrip(text) {
  const chars = Array.from(text);
  let start = 0;
  let end = chars.length;
  while (start < end && PY_SPACE.has(chars[start])) start++;
  while (end > start && PY_SPACE.has(chars[end - 1])) end--;
  return chars.slice(start, end).join("");
}

function words(text) {
  return text.split(" ").filter(Boolean);
}

export function fold(value) {
  const lowered = value.toLowerCase();
  const latin = Array.from(lowered, (ch) => (Object.hasOwn(CYRILLIC, ch) ? CYRILLIC[ch] : ch))
    .join("");
  const decomposed = latin.normalize("NFKD");
  let plain = Array.from(decomposed).filter((ch) => !combining(ch)).join("");
  plain = plain.replaceAll("ß", "ss").replaceAll("ł", "l").replaceAll("ø", "o");
  return words(plain.replace(NON_ALNUM, " ")).join(" ");
}

function phone(value) {
  const lib = globalThis.libphonenumber;
  if (!lib) throw new PprlError("libphonenumber is not loaded");
  const util = lib.PhoneNumberUtil.getInstance();
  let number;
  try {
    number = util.parse(value, "NL");
  } catch (ignored) {
    return null;
  }
  if (!util.isPossibleNumber(number)) return null;
  return util.format(number, lib.PhoneNumberFormat.E164);
}

export function normalise(kind, value) {
  if (kind === "phone") return phone(value);
  if (kind === "vehicle") {
    const plate = value.toUpperCase().replace(/[^A-Z0-9]/g, "");
    return plate || null;
  }
  let folded = fold(value);
  if (kind === "employer") folded = words(folded.replace(LEGAL_FORMS, " ")).join(" ");
  if (kind === "address") {
    folded = folded.replace(POSTCODE, "$1$2").replace(STREET_SUFFIX, "str");
  }
  if (kind === "person" || kind === "employer") {
    // Name order differs between registrations; sorted by code point, as Python sorts.
    folded = words(folded).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join(" ");
  }
  return folded || null;
}

// -- encoding (signals/pprl/encode.py) -----------------------------------------------------

export function qgrams(text, q) {
  const pad = "_".repeat(q - 1);
  const chars = Array.from(pad + text + pad);
  const out = new Set();
  for (let i = 0; i + q <= chars.length; i++) out.add(chars.slice(i, i + q).join(""));
  return out;
}

function prefixed(tag, data) {
  const out = new Uint8Array(data.length + 1);
  out[0] = tag.charCodeAt(0);
  out.set(data, 1);
  return out;
}

function first8(bytes) {
  let n = 0n;
  for (let i = 0; i < 8; i++) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

async function bloomField(spec, norm, salt, fkey, schema) {
  const size = schema.filter_bits;
  const bits = new Uint8Array(size);
  const big = BigInt(size);
  for (const gram of qgrams(norm, spec.q)) {
    const data = encoder.encode(salt + "\u0000" + gram);
    const h1 = first8(await hmac(fkey, prefixed("1", data)));
    const h2 = first8(await hmac(fkey, prefixed("2", data)));
    for (let i = 0n; i < BigInt(spec.hashes); i++) bits[Number((h1 + i * h2) % big)] = 1;
  }
  let out = bits;
  if (schema.hardening.includes("xor-fold")) {
    const half = size / 2;
    out = new Uint8Array(half);
    for (let j = 0; j < half; j++) out[j] = bits[j] ^ bits[j + half];
  }
  // Bit p is 2**p of the Python integer: hex from the highest bit down.
  let hex = "";
  for (let top = out.length - 1; top >= 0; top -= 4) {
    const nibble = (out[top] << 3) | (out[top - 1] << 2) | (out[top - 2] << 1) | out[top - 3];
    hex += nibble.toString(16);
  }
  return hex;
}

export async function encodeField(spec, raw, record, key, schema) {
  const norm = normalise(spec.kind, raw);
  if (norm === null) return null;
  const fkey = await fieldKey(key, schema.version, spec.name);
  if (spec.encoding === "hmac") return bytesToHex(await hmac(fkey, encoder.encode(norm)));
  let salt = "";
  if (schema.hardening.includes("salt") && spec.salt_field) {
    salt = pyStrip(record[spec.salt_field] || "");
  }
  return bloomField({ q: 2, hashes: 20, ...spec }, norm, salt, fkey, schema);
}

// encode_record: every schema field present in `record`; other values are not looked at.
export async function encodeRecord(record, key, schema) {
  const fields = {};
  for (const spec of schema.fields) {
    const raw = record[spec.name];
    if (raw) {
      const value = await encodeField(spec, raw, record, key, schema);
      if (value !== null) fields[spec.name] = value;
    }
  }
  return { schema: schema.version, key_version: key.version, fields };
}
