import fs from "node:fs";
import dicomParser from "dicom-parser";
import YAML from "yaml";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { demoAccount, SignInPage } from "./support/pages";

type BundledCase = { slug: string; number: string; phase: string };

type CaseYaml = {
  title: string;
  summary?: string;
  presentation?: { age?: string; sex?: string; history?: string };
  modality?: string[];
  region?: string;
  tags?: string[];
  answer: { diagnosis: string; synonyms?: string[] };
  reveal_tags?: string[];
};
type KeyImagesYaml = { key_images?: { caption?: string; annotations?: { text?: string }[] }[] };

/** The bundled cases as the educator's dashboard lists them, with their phase (extra e2e bundles are skipped). */
async function bundledCases(page: Page): Promise<BundledCase[]> {
  await new SignInPage(page).signInAs(demoAccount("educator"));
  await page.goto("/author");
  const out: BundledCase[] = [];
  for (const row of await page.locator("table.data tbody tr").all()) {
    const slug = (await row.locator("code").first().textContent())!.trim();
    if (!fs.existsSync(`cases/${slug}/case.yaml`)) continue;
    const number = (await row.getByRole("link").first().textContent())!.replace("Case ", "").trim();
    const phase = /status-(\w+)/.exec((await row.locator("span.status").first().getAttribute("class")) ?? "")?.[1] ?? "";
    out.push({ slug, number, phase });
  }
  await page.context().clearCookies();
  return out;
}

const normalise = (s: string) => s.toLowerCase().replace(/\s+/g, " ");
const wordsOf = (s: string) => s.toLowerCase().split(/[^a-z]+/).filter(Boolean);

function readCase(slug: string): { c: CaseYaml; keyImages: KeyImagesYaml } {
  const c = YAML.parse(fs.readFileSync(`cases/${slug}/case.yaml`, "utf8")) as CaseYaml;
  const file = `cases/${slug}/key-images.yaml`;
  const keyImages = fs.existsSync(file) ? (YAML.parse(fs.readFileSync(file, "utf8")) as KeyImagesYaml) : {};
  return { c, keyImages };
}

type CollectionsYaml = { collections?: { slug: string; title?: string; description?: string; cases?: string[] }[] };

const collections = (YAML.parse(fs.readFileSync("cases/collections.yaml", "utf8")) as CollectionsYaml).collections ?? [];

/**
 * Titles and descriptions of collections are public by design (on /collections, and on a member case's page
 * while it is open); cases/collections.yaml promises they name no member's answer. `member`: only the
 * collections holding that case (what its page shows); otherwise all of them (what /collections shows).
 */
function collectionsText(member?: string): string {
  return collections
    .filter((col) => member === undefined || (col.cases ?? []).includes(member))
    .map((col) => [col.slug, col.title, col.description].filter(Boolean).join(" \n "))
    .join(" \n ");
}

/** What a resident may legitimately read before the reveal: the public fields of case.yaml and its collections. */
function publicText(slug: string, c: CaseYaml): string {
  const p = c.presentation ?? {};
  return normalise([c.summary, p.age, p.sex, p.history, ...(c.modality ?? []), c.region, ...(c.tags ?? []), collectionsText(slug)].filter(Boolean).join(" \n "));
}

/**
 * The answer's distinctive words and phrases: words of 5+ letters of the diagnosis, synonyms and reveal tags,
 * plus the whole title, captions and annotation texts; minus whatever the public fields already say (a history
 * may name thalassemia or myeloma) and minus `alsoAllowed` (text a page may show for other reasons).
 */
function answerTerms(slug: string, alsoAllowed = ""): { words: string[]; phrases: string[] } {
  const { c, keyImages } = readCase(slug);
  const allowed = `${publicText(slug, c)} ${normalise(alsoAllowed)}`;
  const allowedWords = new Set(wordsOf(allowed));
  const words = [...new Set(wordsOf([c.answer.diagnosis, ...(c.answer.synonyms ?? []), ...(c.reveal_tags ?? [])].join(" ")))].filter(
    (w) => w.length >= 5 && !allowedWords.has(w),
  );
  const phrases = [
    c.title,
    c.answer.diagnosis,
    ...(c.answer.synonyms ?? []),
    ...(keyImages.key_images ?? []).flatMap((k) => [k.caption, ...(k.annotations ?? []).map((a) => a.text)]),
  ]
    .filter((p): p is string => typeof p === "string")
    .map(normalise)
    .map((p) => p.trim())
    .filter((p) => p.length >= 5 && !allowed.includes(p));
  return { words, phrases: [...new Set(phrases)] };
}

/** The terms found in a text: words on word boundaries, phrases as substrings (after normalising case and spaces). */
function leaks(text: string, terms: { words: string[]; phrases: string[] }): string[] {
  const t = normalise(text);
  return [...terms.words.filter((w) => new RegExp(`(^|[^a-z])${w}([^a-z]|$)`).test(t)), ...terms.phrases.filter((p) => t.includes(p))];
}

/** A little of the text around a term's first occurrence, so a failure shows where the answer leaked. */
function around(text: string, term: string): string {
  const t = normalise(text);
  const i = t.indexOf(term);
  return i < 0 ? "" : JSON.stringify(t.slice(Math.max(0, i - 80), i + term.length + 80));
}

/**
 * Per series (in page order), the instance ids the case page hands the viewer, read from the RSC payload: packed
 * series (lib/viewer/packed-series) list them in one "ids" array each; unpacked ones in their instances' URLs.
 */
function seriesInstanceIds(rsc: string): string[][] {
  const packed = [...rsc.matchAll(/"ids":\[((?:"[0-9a-f-]{36}",?)*)\]/g)].map((m) => [...m[1]!.matchAll(/[0-9a-f-]{36}/g)].map((id) => id[0]));
  if (packed.some((ids) => ids.length > 0)) return packed.filter((ids) => ids.length > 0);
  return rsc
    .split('"instances":[')
    .slice(1)
    .map((chunk) => [...new Set([...chunk.matchAll(/\/api\/dicom\/([0-9a-f-]{36})/g)].map((m) => m[1]!))])
    .filter((ids) => ids.length > 0);
}

/** Every string-valued element of a DICOM file (sequences included), as text. */
function dicomStrings(bytes: Uint8Array): { text: string; elements: number } {
  const out: string[] = [];
  const binary = new Set(["OB", "OW", "OF", "OD", "OL", "UN", "SQ", "US", "SS", "UL", "SL", "FL", "FD", "AT"]);
  const walk = (ds: dicomParser.DataSet) => {
    for (const [tag, el] of Object.entries(ds.elements)) {
      if (el.items) {
        for (const item of el.items) if (item.dataSet) walk(item.dataSet);
        continue;
      }
      if (tag === "x7fe00010" || (el.vr && binary.has(el.vr)) || el.length > 65_536) continue;
      const value = ds.string(tag);
      if (value) out.push(value);
    }
  };
  walk(dicomParser.parseDicom(bytes));
  return { text: out.join("\n"), elements: out.length };
}

async function body(request: APIRequestContext, url: string, headers?: Record<string, string>): Promise<{ text: string; bytes: Buffer }> {
  const res = await request.get(url, { headers });
  expect(res.status(), url).toBe(200);
  const bytes = await res.body();
  return { text: bytes.toString("latin1"), bytes };
}

test("the answer never reaches a resident's browser before the reveal (pages, RSC, DICOM, previews)", async ({ page }) => {
  test.setTimeout(240_000);
  const all = await bundledCases(page);
  expect(all.length).toBe(9);
  const hidden = all.filter((c) => c.phase === "open" || c.phase === "closed");
  const revealed = all.filter((c) => c.phase === "revealed");
  expect(hidden.length).toBeGreaterThanOrEqual(3);
  expect(revealed.length).toBeGreaterThanOrEqual(1);
  // The library and collections legitimately show revealed cases' titles and diagnoses.
  const revealedText = revealed.map((r) => fs.readFileSync(`cases/${r.slug}/case.yaml`, "utf8")).join("\n");

  await new SignInPage(page).signInAs(demoAccount("resident"));
  const request = page.request;
  const shared = await Promise.all(["/cases", "/collections", ...collections.map((col) => `/collections/${col.slug}`), "/api/health"].map(async (url) => ({ url, ...(await body(request, url)) })));
  const found: string[] = [];
  let dicomFiles = 0;
  let previews = 0;
  let elements = 0;
  let series = 0;
  const termCounts: string[] = [];

  for (const c of hidden) {
    const terms = answerTerms(c.slug);
    expect(terms.words.length + terms.phrases.length, c.slug).toBeGreaterThan(3);
    termCounts.push(`${c.slug}: ${terms.words.length} words (${terms.words.join(", ")}) + ${terms.phrases.length} phrases`);
    const url = `/cases/${c.number}`;
    const html = await body(request, url);
    const rsc = await body(request, url, { RSC: "1" });
    expect(html.text).toContain("Presentation");
    for (const [where, text] of [
      ["HTML", html.text],
      ["RSC", rsc.text],
    ] as const) {
      for (const t of leaks(text, terms)) found.push(`${c.slug}: ${where} of ${url} contains "${t}": ${around(text, t)}`);
    }
    const libraryTerms = answerTerms(c.slug, `${revealedText}\n${collectionsText()}`);
    for (const s of shared) for (const t of leaks(s.text, libraryTerms)) found.push(`${c.slug}: ${s.url} contains "${t}": ${around(s.text, t)}`);

    const perSeries = seriesInstanceIds(rsc.text);
    expect(perSeries.length, `${c.slug}: series in the RSC payload`).toBeGreaterThan(0);
    series += perSeries.length;
    for (const ids of perSeries) {
      const picks = [...new Set([ids[0]!, ids[Math.floor(ids.length / 2)]!, ids[ids.length - 1]!])];
      for (const id of picks) {
        const dicom = await body(request, `/api/dicom/${id}`);
        const strings = dicomStrings(new Uint8Array(dicom.bytes));
        expect(strings.elements, `${c.slug}: string elements of ${id}`).toBeGreaterThan(5);
        elements += strings.elements;
        dicomFiles++;
        for (const t of leaks(strings.text, terms)) found.push(`${c.slug}: DICOM strings of ${id} contain "${t}"`);
        for (const t of leaks(dicom.text, terms)) found.push(`${c.slug}: DICOM bytes of ${id} contain "${t}"`);
        const preview = await body(request, `/api/instances/${id}/preview`);
        previews++;
        for (const t of leaks(preview.text, terms)) found.push(`${c.slug}: preview of ${id} contains "${t}"`);
      }
    }
  }
  test.info().annotations.push({
    type: "checked",
    description: `${hidden.length} unrevealed cases (${hidden.map((c) => c.slug).join(", ")}), ${series} series, ${dicomFiles} DICOM files (${elements} string elements), ${previews} previews, ${shared.length} shared pages`,
  });
  test.info().annotations.push({ type: "terms", description: termCounts.join("; ") });
  console.log(test.info().annotations.map((a) => a.description).join("\n"));
  expect(found).toEqual([]);

  // Control: on a revealed case the same search does find the answer, so the checks above can fail.
  const control = revealed[0]!;
  const { c } = readCase(control.slug);
  const controlTerms = answerTerms(control.slug);
  const controlHtml = await body(request, `/cases/${control.number}`);
  const controlRsc = await body(request, `/cases/${control.number}`, { RSC: "1" });
  const controlLeaks = leaks(controlHtml.text, controlTerms);
  expect(controlLeaks).toContain(normalise(c.title).trim());
  expect(controlLeaks.filter((t) => wordsOf(c.answer.diagnosis).includes(t)).length).toBeGreaterThan(0);
  expect(leaks(controlRsc.text, controlTerms).length).toBeGreaterThan(0);
});

test("key images an educator draws on an open case reach no resident's page, RSC or DICOM, and residents cannot write them", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const open = (await bundledCases(page)).find((c) => c.phase === "open")!;
  const word = `annot${Date.now().toString(36)}`;
  await new SignInPage(page).signInAs(demoAccount("educator"));
  const editorPage = `/author/cases/${open.number}`;
  const editorRsc = (await body(page.request, editorPage, { RSC: "1" })).text;
  const keyInstances = new Set([...editorRsc.matchAll(/"instanceId":"([0-9a-f-]{36})"/g)].map((m) => m[1]!));
  const target = [...editorRsc.matchAll(/\/api\/dicom\/([0-9a-f-]{36})/g)].map((m) => m[1]!).find((id) => !keyInstances.has(id))!;
  expect(target).toBeTruthy();
  const route = `/api/cases/${open.number}/key-images`;
  const keyImage = { instanceId: target, caption: `caption ${word}`, annotations: [{ type: "arrow", from: [10, 10], to: [60, 60], text: `arrow ${word}` }, { type: "text", at: [20, 90], text: `label ${word}` }] };
  const saved = await page.request.put(route, { data: keyImage });
  expect(saved.status(), await saved.text()).toBe(200);
  try {
    // Control: the editor's page carries them, so the searches below can find them.
    expect((await body(page.request, editorPage, { RSC: "1" })).text).toContain(`label ${word}`);

    const residentContext = await browser.newContext();
    const resident = await residentContext.newPage();
    await new SignInPage(resident).signInAs(demoAccount("resident"));
    const r = resident.request;
    const found: string[] = [];
    for (const [where, url, headers] of [
      ["HTML", `/cases/${open.number}`, undefined],
      ["RSC", `/cases/${open.number}`, { RSC: "1" }],
      ["DICOM", `/api/dicom/${target}`, undefined],
      ["preview", `/api/instances/${target}/preview`, undefined],
    ] as const) {
      const text = (await body(r, url, headers)).text;
      if (text.includes(word)) found.push(`${where} of ${url}: ${around(text, word)}`);
    }
    expect(found).toEqual([]);
    // Residents may not write key images, read them through the route, or remove the educator's.
    const put = await r.put(route, { data: { ...keyImage, caption: "resident" } });
    expect(put.status()).toBe(403);
    expect(await put.text()).not.toContain(word);
    expect((await r.delete(`${route}?instanceId=${target}`)).status()).toBe(403);
    expect((await r.get(route)).status()).toBe(405);
    await residentContext.close();
    const after = (await body(page.request, editorPage, { RSC: "1" })).text;
    expect(after).toContain(`caption ${word}`);
    expect(after).not.toContain('"caption":"resident"');
  } finally {
    const removed = await page.request.delete(`${route}?instanceId=${target}`);
    expect(await removed.json()).toEqual({ removed: true });
  }
});
