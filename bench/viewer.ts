// npm run -s bench -- viewer: the case page's viewer in headless Chromium against a production server of its own
// (demo mode, own data folder and port, plus a 300-slice 512x512 CT bundle). Prints a table, then one JSON line.
//   BENCH_RUNS (default 5)  BENCH_PORT (default 3190)  BENCH_SCROLL_STEPS (default 120)  CHROMIUM_PATH
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { BIG_CASE_SLUG, BIG_SERIES, BIG_SLICES, writeBigBundle } from "./support/big-bundle";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PORT = Number(process.env.BENCH_PORT ?? 3190);
const SCROLL_STEPS = Number(process.env.BENCH_SCROLL_STEPS ?? 120);
const BASE = `http://localhost:${PORT}`;
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const GOALS = { first_image_ms: 500, first_image_ratio: 1.25, series_load_ratio: 1.5, scroll_frame_ms_p50: 16, scroll_frame_ms_p95: 25 };

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "casebook-bench-viewer-"));
const logFile = path.join(os.tmpdir(), `casebook-bench-viewer-${process.pid}.log`);
let server: ChildProcess | null = null;
let browser: Browser | null = null;

function log(message: string) {
  process.stderr.write(`bench viewer: ${message}\n`);
}

async function cleanup() {
  await browser?.close().catch(() => undefined);
  if (server?.pid && server.exitCode === null) {
    // start.ts runs `next start` as a child: end the whole process group this bench started.
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {
      // already gone
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        try {
          process.kill(-server!.pid!, "SIGKILL");
        } catch {
          // already gone
        }
        resolve();
      }, 5000);
      server!.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  // The server log is kept only when something went wrong.
  if (!process.exitCode) fs.rmSync(logFile, { force: true });
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void cleanup().then(() => process.exit(130));
  });
}

async function startServer() {
  log(`writing the ${BIG_SLICES}-slice 512x512 CT bundle…`);
  const extra = writeBigBundle(path.join(dataDir, "extra-cases"));
  log(`starting the server on ${BASE} (build if sources changed, import the bundled cases and the bench bundle); log: ${logFile}`);
  const out = fs.openSync(logFile, "w");
  server = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    detached: true,
    stdio: ["ignore", out, out],
    env: {
      ...process.env,
      CASEBOOK_MODE: "demo",
      CASEBOOK_DATA_DIR: path.join(dataDir, "data"),
      CASEBOOK_EXTRA_CASES: extra,
      CASEBOOK_BENCH: "1",
      PORT: String(PORT),
      DATABASE_URL: "",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });
  const started = Date.now();
  while (Date.now() - started < 20 * 60_000) {
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}); see ${logFile}`);
    try {
      if ((await fetch(`${BASE}/api/health`)).ok) {
        log(`server ready after ${((Date.now() - started) / 1000).toFixed(0)} s`);
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error("the server did not become healthy in 20 minutes");
}

type Account = { role: string; email: string; password: string };

async function signIn(role: string): Promise<BrowserContext> {
  const accounts = JSON.parse(fs.readFileSync(path.join(dataDir, "data", "demo-accounts.json"), "utf8")) as Account[];
  const account = accounts.find((a) => a.role === role)!;
  const context = await browser!.newContext({ baseURL: BASE, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto("/signin");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByTestId("current-user").waitFor();
  await page.close();
  return context;
}

async function bigCaseNumber(): Promise<string> {
  const context = await signIn("educator");
  const page = await context.newPage();
  await page.goto("/author");
  for (const row of await page.locator("table.data tbody tr").all()) {
    if ((await row.locator("code").first().textContent())?.trim() === BIG_CASE_SLUG) {
      const number = (await row.getByRole("link").first().textContent())!.replace("Case ", "").trim();
      await context.close();
      return number;
    }
  }
  throw new Error(`${BIG_CASE_SLUG} is not in the authoring table: did the import fail? see ${logFile}`);
}

// In every page: when the first image was drawn, when the series progress reached 100%, every render.
const INIT_SCRIPT = `
  window.__bench = { first: null, loaded: null, renders: [], keys: [] };
  performance.setResourceTimingBufferSize(2000);
  new MutationObserver((records) => {
    const t = performance.now();
    for (const r of records) {
      const el = r.target;
      if (r.attributeName === "data-rendered-image-id") {
        const id = el.getAttribute("data-rendered-image-id");
        if (id && el.getAttribute("data-viewport-index") === "0") {
          if (window.__bench.first === null) window.__bench.first = t;
          window.__bench.renders.push({ t, id });
        }
      } else if (r.attributeName === "data-loaded" && window.__bench.loaded === null) {
        const max = Number(el.getAttribute("aria-valuemax"));
        if (max >= ${BIG_SLICES} && Number(el.getAttribute("data-loaded")) >= max) window.__bench.loaded = t;
      }
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-rendered-image-id", "data-loaded"] });
  document.addEventListener("keydown", (e) => window.__bench.keys.push(e.timeStamp), true);
`;

type Bench = { first: number | null; loaded: number | null; renders: { t: number; id: string }[]; keys: number[] };
const readBench = (page: Page) => page.evaluate(() => (window as unknown as { __bench: Bench }).__bench);

async function freshPage(storage: Awaited<ReturnType<BrowserContext["storageState"]>>) {
  const context = await browser!.newContext({ baseURL: BASE, viewport: { width: 1400, height: 900 }, storageState: storage });
  await context.addInitScript(INIT_SCRIPT);
  return { context, page: await context.newPage() };
}

async function firstImage(page: Page, url: string): Promise<number> {
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __bench: Bench }).__bench.first !== null, undefined, { timeout: 60_000 });
  return (await readBench(page)).first!;
}

type ScriptInfo = { url: string; gz: number; codec: string | null; viewer: boolean };

/** Scripts the page requested, in request order, with their gzipped size and whether they are the viewer chunk. */
function recordScripts(page: Page): () => Promise<ScriptInfo[]> {
  const order: string[] = [];
  const bodies = new Map<string, Promise<Buffer | null>>();
  page.on("request", (r) => {
    if (r.resourceType() === "script" && !order.includes(r.url())) order.push(r.url());
  });
  page.on("response", (r) => {
    if (r.request().resourceType() === "script") bodies.set(r.url(), r.body().catch(() => null));
  });
  return async () => {
    const out: ScriptInfo[] = [];
    for (const url of order) {
      const body = (await bodies.get(url)) ?? Buffer.alloc(0);
      const text = body.toString("utf8");
      const codec = /openjpeg|charls|libjpeg/i.exec(text)?.[0] ?? null;
      // cornerstone's render event name and the viewer's series drag type: only the viewer's chunks have them.
      const viewer = /cornerstoneimagerendered|x-casebook-series/.test(text);
      out.push({ url, gz: gzipSync(body).length, codec, viewer });
    }
    return out;
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}
const median = (values: number[]) => percentile(values, 50);
const round = (n: number, digits = 1) => Number(n.toFixed(digits));

async function main() {
  await startServer();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
  const number = await bigCaseNumber();
  const resident = await signIn("resident");
  const storage = await resident.storageState();
  await resident.close();
  const caseUrl = `/cases/${number}`;

  // Warm-up: compiles nothing (production), but fills the server's caches and finds the first image's instance.
  const warm = await freshPage(storage);
  await firstImage(warm.page, caseUrl);
  const firstId = /\/api\/dicom\/([0-9a-f-]{36})/.exec((await readBench(warm.page)).renders[0]!.id)![1]!;
  const baselineUrl = `/lab/baseline?id=${firstId}`;
  await firstImage(warm.page, baselineUrl);
  await warm.context.close();

  const caseFirst: number[] = [];
  const baseFirst: number[] = [];
  const viewerLoad: number[] = [];
  const viewerLoadFromNavigation: number[] = [];
  const fetchLoad: number[] = [];
  const frames: number[] = [];
  let scripts: ScriptInfo[] = [];
  let loadedBytes = 0;

  for (let run = 0; run < RUNS; run++) {
    // Alternate which page goes first, so neither always meets a server that just did the other's work.
    const order = run % 2 === 0 ? (["case", "baseline"] as const) : (["baseline", "case"] as const);
    for (const which of order) {
      const { context, page } = await freshPage(storage);
      try {
        if (which === "baseline") {
          baseFirst.push(await firstImage(page, baselineUrl));
          continue;
        }
        const collectScripts = run === 0 ? recordScripts(page) : null;
        caseFirst.push(await firstImage(page, caseUrl));

        // Full series load: the viewer's progress bar for the series reaching 100%.
        await page.waitForFunction(() => (window as unknown as { __bench: Bench }).__bench.loaded !== null, undefined, { timeout: 300_000 });
        const { loaded } = await readBench(page);
        const { start, urls } = await page.evaluate(() => {
          const entries = performance.getEntriesByType("resource").filter((e) => e.name.includes("/api/dicom/")) as PerformanceResourceTiming[];
          // The clock starts with the image loader's first fetch(): the first image's <link rel=preload> is page load.
          const fetches = entries.filter((e) => e.initiatorType === "fetch");
          return { start: Math.min(...fetches.map((e) => e.startTime)), urls: [...new Set(entries.map((e) => e.name))] };
        });
        if (urls.length < BIG_SLICES) throw new Error(`only ${urls.length} DICOM requests seen for ${BIG_SLICES} slices`);
        viewerLoad.push(loaded! - start);
        viewerLoadFromNavigation.push(loaded!);
        // The same bytes by plain fetch() in the same page, past the HTTP cache, six at a time as the browser allows.
        const plain = await page.evaluate(async (list) => {
          const t0 = performance.now();
          const sizes = await Promise.all(list.map((u) => fetch(u, { cache: "no-store" }).then((r) => r.arrayBuffer()).then((b) => b.byteLength)));
          return { ms: performance.now() - t0, bytes: sizes.reduce((a, b) => a + b, 0) };
        }, urls);
        fetchLoad.push(plain.ms);
        loadedBytes = plain.bytes;

        // Scrolling through the loaded stack: key press to the frame that shows the next slice.
        const viewport = page.locator('[data-viewport-index="0"]');
        await viewport.focus();
        await page.keyboard.press("Home");
        await page.waitForFunction(() => document.querySelector('[data-viewport-index="0"]')?.getAttribute("data-slice-index") === "0");
        for (let k = 0; k < Math.min(SCROLL_STEPS, BIG_SLICES - 1); k++) {
          const before = (await readBench(page)).renders.length;
          await page.keyboard.press("ArrowDown");
          await page.waitForFunction(
            ([n, slice]) => {
              const b = (window as unknown as { __bench: Bench }).__bench;
              return b.renders.length > n && document.querySelector('[data-viewport-index="0"]')?.getAttribute("data-slice-index") === String(slice);
            },
            [before, k + 1] as const,
          );
          const b = await readBench(page);
          const key = b.keys[b.keys.length - 1]!;
          const render = b.renders.slice(before).find((r) => r.t >= key);
          if (render) frames.push(render.t - key);
        }
        if (collectScripts) scripts = await collectScripts();
      } finally {
        await context.close();
      }
    }
  }

  const viewerIndex = scripts.findIndex((s) => s.viewer);
  const before = viewerIndex < 0 ? scripts : scripts.slice(0, viewerIndex);
  const jsGzKb = before.reduce((a, s) => a + s.gz, 0) / 1024;
  const codecsBefore = before.filter((s) => s.codec).map((s) => `${s.codec} in ${path.basename(s.url)}`);
  const codecsAnywhere = scripts.filter((s) => s.codec).map((s) => `${s.codec} in ${path.basename(s.url)}`);

  const result = {
    first_image_ms: round(median(caseFirst)),
    baseline_first_image_ms: round(median(baseFirst)),
    first_image_ratio: round(median(caseFirst) / median(baseFirst), 2),
    series_load_ms: round(median(viewerLoad)),
    series_load_from_navigation_ms: round(median(viewerLoadFromNavigation)),
    plain_fetch_ms: round(median(fetchLoad)),
    series_load_ratio: round(median(viewerLoad) / median(fetchLoad), 2),
    series_mb: round(loadedBytes / 1024 / 1024),
    scroll_frame_ms_p50: round(percentile(frames, 50)),
    scroll_frame_ms_p95: round(percentile(frames, 95)),
    scroll_samples: frames.length,
    case_page_js_gz_kb: round(jsGzKb),
    case_page_scripts_before_viewer: before.length,
    viewer_chunk_found: viewerIndex >= 0,
    codecs_before_viewer: codecsBefore,
    codecs_in_any_script: codecsAnywhere,
    runs: RUNS,
  };

  const rows: [string, string, string, string][] = [
    ["first image, case page (ms)", String(result.first_image_ms), `< ${GOALS.first_image_ms}`, ok(result.first_image_ms < GOALS.first_image_ms)],
    ["first image, baseline page (ms)", String(result.baseline_first_image_ms), "", ""],
    ["first image ratio", String(result.first_image_ratio), `<= ${GOALS.first_image_ratio}`, ok(result.first_image_ratio <= GOALS.first_image_ratio)],
    [`series load, viewer's first fetch() to 100% (ms, ${BIG_SLICES} x 512²)`, String(result.series_load_ms), "", ""],
    ["series load, navigation start to 100% (ms)", String(result.series_load_from_navigation_ms), "", ""],
    [`plain fetch() of the same ${result.series_mb} MB (ms)`, String(result.plain_fetch_ms), "", ""],
    ["series load ratio", String(result.series_load_ratio), `<= ${GOALS.series_load_ratio}`, ok(result.series_load_ratio <= GOALS.series_load_ratio)],
    [`scroll, key to frame p50 (ms, n=${frames.length})`, String(result.scroll_frame_ms_p50), `<= ${GOALS.scroll_frame_ms_p50}`, ok(result.scroll_frame_ms_p50 <= GOALS.scroll_frame_ms_p50)],
    ["scroll, key to frame p95 (ms)", String(result.scroll_frame_ms_p95), `<= ${GOALS.scroll_frame_ms_p95}`, ok(result.scroll_frame_ms_p95 <= GOALS.scroll_frame_ms_p95)],
    [`case page JS before the viewer chunk (gz KB, ${before.length} scripts)`, String(result.case_page_js_gz_kb), "report", ""],
    ["codecs in that JS (openjpeg/charls/libjpeg)", codecsBefore.length ? codecsBefore.join(", ") : "none", "none", ok(codecsBefore.length === 0 && viewerIndex >= 0)],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`\nViewer benchmark: median of ${RUNS} runs (fresh browser context each), headless Chromium, ${os.cpus().length} cores\n`);
  console.log(`${"measure".padEnd(width)}  ${"value".padStart(10)}  ${"goal".padEnd(8)}  ok`);
  for (const [name, value, goal, pass] of rows) console.log(`${name.padEnd(width)}  ${value.padStart(10)}  ${goal.padEnd(8)}  ${pass}`);
  console.log(`  first image runs, case: ${caseFirst.map((v) => v.toFixed(0)).join(" ")}; baseline: ${baseFirst.map((v) => v.toFixed(0)).join(" ")}`);
  console.log(`  series load runs, viewer: ${viewerLoad.map((v) => v.toFixed(0)).join(" ")}; fetch: ${fetchLoad.map((v) => v.toFixed(0)).join(" ")}`);
  if (!result.viewer_chunk_found) console.log("  warning: no script with the viewer's markers was seen; the JS sum covers every script");
  console.log(JSON.stringify(result));
}

function ok(pass: boolean): string {
  return pass ? "yes" : "NO";
}

main()
  .catch((error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanup();
  });
