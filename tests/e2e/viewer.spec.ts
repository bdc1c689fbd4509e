import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import YAML from "yaml";
import { BUILT_IN_PRESETS } from "../../lib/viewer/window-level";
import { CODEC_CASE_SLUG, CODEC_SERIES } from "./support/e2e-bundles";
import { demoAccount, SignInPage } from "./support/pages";
import { e2eDataDir } from "./support/paths";
import { caseNumbersBySlug, ViewerPage } from "./support/viewer-page";

// The viewer on real case pages: bundled cases (CT 44 x 512², MR 22 x 256² on one frame of reference) and the
// extra codec bundle that tests/e2e/support/serve.ts builds. Every wait is on a render signal, never a timer.

const MIXED = "emh-thalassemia-mixed"; // open: CT + 3 MR series sharing a frame of reference
const REVEALED = "emh-thalassemia-iron"; // revealed 10 days before import

let numbers: Map<string, string>;

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  numbers = await caseNumbersBySlug(page);
  await page.close();
});

async function openAsResident(page: Page, slug: string): Promise<ViewerPage> {
  await new SignInPage(page).signInAs(demoAccount("resident"));
  const viewer = new ViewerPage(page);
  const number = numbers.get(slug);
  expect(number, `case number of ${slug}`).toBeTruthy();
  await viewer.openCase(number!);
  return viewer;
}

test("wheel, arrow keys and Home/End change the rendered image and the slice counter", async ({ page }) => {
  const viewer = await openAsResident(page, MIXED);
  const start = await viewer.slice(0);
  expect(start.count).toBeGreaterThan(10);
  let shown = await viewer.renderedImageId(0);

  await viewer.wheel(0, 1);
  shown = await viewer.waitRenderedOtherThan(0, shown);
  await expect(viewer.sliceCounter(0)).toHaveText(`Im ${start.index + 1}/${start.count}`);
  await viewer.wheel(0, -2);
  shown = await viewer.waitRenderedOtherThan(0, shown);
  await expect(viewer.sliceCounter(0)).toHaveText(`Im ${start.index - 1}/${start.count}`);

  await viewer.activate(0);
  await page.keyboard.press("ArrowDown");
  shown = await viewer.waitRenderedOtherThan(0, shown);
  await expect(viewer.sliceCounter(0)).toHaveText(`Im ${start.index}/${start.count}`);
  await page.keyboard.press("ArrowUp");
  shown = await viewer.waitRenderedOtherThan(0, shown);
  await expect(viewer.sliceCounter(0)).toHaveText(`Im ${start.index - 1}/${start.count}`);

  await page.keyboard.press("End");
  const last = await viewer.waitRenderedOtherThan(0, shown);
  await expect(viewer.sliceCounter(0)).toHaveText(`Im ${start.count}/${start.count}`);
  await page.keyboard.press("Home");
  const first = await viewer.waitRenderedOtherThan(0, last);
  await expect(viewer.sliceCounter(0)).toHaveText(`Im 1/${start.count}`);
  // Past the ends nothing moves: the first image stays the one drawn.
  await viewer.wheel(0, -1);
  await expect(viewer.sliceCounter(0)).toHaveText(`Im 1/${start.count}`);
  expect(await viewer.renderedImageId(0)).toBe(first);
  expect(new Set([first, last, shown]).size).toBe(3);
});

test("a window/level drag changes the overlay numbers and the pixels; preset keys set the readout", async ({ page }) => {
  const viewer = await openAsResident(page, MIXED);
  await expect(viewer.windowReadout(0)).toHaveText(/^W -?\d+ L -?\d+$/);
  const readout = await viewer.windowReadout(0).textContent();
  const hash = await viewer.canvasHash(0);

  await viewer.drag(0, 120, 60);
  await expect(viewer.windowReadout(0)).not.toHaveText(readout!);
  const [, width, center] = /^W (-?\d+) L (-?\d+)$/.exec((await viewer.windowReadout(0).textContent())!)!.map(Number);
  const [, width0, center0] = /^W (-?\d+) L (-?\d+)$/.exec(readout!)!.map(Number);
  expect(width).toBeGreaterThan(width0!); // dragging right widens
  expect(center).toBeGreaterThan(center0!); // dragging down raises the level
  expect(await viewer.canvasHash(0)).not.toBe(hash);

  // Keys 1-6: the built-in CT presets, exactly as the table in lib/viewer/window-level.ts.
  for (const preset of BUILT_IN_PRESETS) {
    const before = await viewer.canvasHash(0);
    await page.keyboard.press(preset.key!);
    await expect(viewer.windowReadout(0)).toHaveText(`W ${preset.width} L ${preset.center}`);
    expect(await viewer.canvasHash(0), `${preset.name} redraws the picture`).not.toBe(before);
  }
  expect(BUILT_IN_PRESETS.find((p) => p.key === "1")).toMatchObject({ width: 400, center: 40 });
  expect(BUILT_IN_PRESETS.find((p) => p.key === "2")).toMatchObject({ width: 1500, center: -600 });
});

test("switching the layout from 1x1 to 2x2 shows four rendered viewports", async ({ page }) => {
  const viewer = await openAsResident(page, MIXED);
  await expect(viewer.viewports()).toHaveCount(1);
  await viewer.setLayout("2×2");
  await expect(viewer.viewports()).toHaveCount(4);
  const shown = new Set<string>();
  for (let i = 0; i < 4; i++) shown.add(await viewer.renderedImageId(i));
  expect(shown.size).toBe(4); // four different series, one per viewport
  await viewer.setLayout("1×1");
  await expect(viewer.viewports()).toHaveCount(1);
});

test("synchronized scrolling moves the other viewport to the slice nearest in position", async ({ page }) => {
  const viewer = await openAsResident(page, MIXED);
  await viewer.setLayout("1×2");
  await viewer.waitRendered(1);
  await expect(viewer.cell(0)).toContainText("CT");
  await expect(viewer.cell(1)).toContainText("MR");
  const near = async (source: number, target: number) => {
    const [a, b, thickness] = [await viewer.sliceLocation(source), await viewer.sliceLocation(target), await viewer.sliceThickness(target)];
    // The overlay rounds to 0.1 mm.
    expect(Math.abs(a - b), `Loc ${a} vs ${b} (target thickness ${thickness})`).toBeLessThanOrEqual(thickness / 2 + 0.05);
  };
  await near(0, 1);

  // Scroll the CT a long way down: the MR follows by position, not by index (44 vs 22 slices).
  const mrBefore = await viewer.renderedImageId(1);
  const mrLocBefore = await viewer.sliceLocation(1);
  await viewer.activate(0);
  for (let k = 0; k < 3; k++) await page.keyboard.press("PageDown");
  await viewer.waitRenderedOtherThan(1, mrBefore);
  await expect(viewer.cell(1).getByText(/^Loc /)).not.toHaveText(`Loc ${mrLocBefore.toFixed(1)} mm`);
  await expect(async () => near(0, 1)).toPass();
  const ct = await viewer.slice(0);
  const mr = await viewer.slice(1);
  expect(ct.count).not.toBe(mr.count);

  // And the other way round: scroll the MR with the wheel, the CT follows.
  const ctBefore = await viewer.renderedImageId(0);
  await viewer.wheel(1, -2);
  await viewer.waitRenderedOtherThan(0, ctBefore);
  await expect(async () => near(1, 0)).toPass();
});

test("a JPEG-LS series renders the same pixels as its uncompressed twin", async ({ page }) => {
  const viewer = await openAsResident(page, CODEC_CASE_SLUG);
  await viewer.setLayout("1×2");
  await viewer.waitRendered(1);
  await expect(viewer.cell(0)).toContainText(CODEC_SERIES.plain);
  await expect(viewer.cell(1)).toContainText(CODEC_SERIES.jpegLs);
  // The same window in both (soft tissue preset), then the same slice position.
  for (const i of [0, 1]) {
    await viewer.activate(i);
    await page.keyboard.press("1");
    await expect(viewer.windowReadout(i)).toHaveText("W 400 L 40");
  }
  expect(await viewer.sliceLocation(0)).toBe(await viewer.sliceLocation(1));
  expect(await viewer.renderedImageId(0)).not.toBe(await viewer.renderedImageId(1));
  await expect(async () => {
    const diff = await viewer.maxPixelDifference(0, 1);
    expect(diff.lit, `the picture is not blank (${diff.size})`).toBeGreaterThan(100);
    expect(diff.max, JSON.stringify(diff)).toBeLessThanOrEqual(1);
  }).toPass();
});

/** The stored blob of an instance: content-addressed by the sha256 the DICOM route sends as its ETag. */
function storedFile(sha256: string): string {
  const file = path.join(e2eDataDir, "storage", "dicom", sha256.slice(0, 2), `${sha256}.dcm`);
  expect(fs.existsSync(file), file).toBe(true);
  return file;
}

test("a malformed stored file shows the error in its viewport, not a stale picture", async ({ page, browser, baseURL }) => {
  const viewer = await openAsResident(page, CODEC_CASE_SLUG);
  await viewer.showSeries(CODEC_SERIES.malformed);
  await expect(viewer.cell(0)).toContainText(CODEC_SERIES.malformed);
  const imageId = await viewer.renderedImageId(0);
  const response = await page.request.get(`/api/dicom/${ViewerPage.instanceIdOf(imageId)}`);
  expect(response.ok()).toBe(true);
  const etag = response.headers()["etag"]!.replaceAll('"', "");
  const bytes = await response.body();
  // Keep the header and half the pixel data: a file that parses but cannot become an image.
  fs.writeFileSync(storedFile(etag), bytes.subarray(0, Math.floor(bytes.length * 0.6)));

  // A fresh context: nothing of the good file is in its HTTP cache.
  const context = await browser.newContext({ baseURL });
  try {
    const fresh = await context.newPage();
    await new SignInPage(fresh).signInAs(demoAccount("resident"));
    const again = new ViewerPage(fresh);
    await fresh.goto(`/cases/${numbers.get(CODEC_CASE_SLUG)}`);
    await again.waitRendered(0);
    await again.showSeries(CODEC_SERIES.malformed);
    const alert = again.cell(0).getByRole("alert");
    await expect(alert).toContainText(/could not be/);
    await expect(again.viewport(0)).toHaveAttribute("data-error", "true");
    await expect(again.viewport(0)).toHaveAttribute("data-rendered-image-id", "");
    // No stale picture: the image canvas is hidden (or empty).
    await expect(again.canvas(0)).toBeHidden();
    // The next slice is fine and is drawn again.
    await again.activate(0);
    await fresh.keyboard.press("ArrowDown");
    await again.waitRendered(0);
    await expect(alert).toHaveCount(0);
    await expect(again.canvas(0)).toBeVisible();
  } finally {
    await context.close();
  }
});

type KeyImagesFile = { key_images: { series: string; instance: number; caption?: string; annotations: { text?: string }[] }[] };

function keyImageTexts(slug: string): string[] {
  const file = YAML.parse(fs.readFileSync(`cases/${slug}/key-images.yaml`, "utf8")) as KeyImagesFile;
  const texts = file.key_images.flatMap((k) => [k.caption ?? "", ...k.annotations.map((a) => a.text ?? "")]);
  // Words as short as "Fat" appear on any page; longer texts are specific to the key images.
  return texts.map((t) => t.trim()).filter((t) => t.length >= 8);
}

test("key images and their annotations appear after the reveal, and not before", async ({ page }) => {
  const viewer = await openAsResident(page, REVEALED);
  const panel = page.getByRole("region", { name: "Key images" });
  await expect(panel).toBeVisible();
  const revealed = YAML.parse(fs.readFileSync(`cases/${REVEALED}/key-images.yaml`, "utf8")) as KeyImagesFile;
  await expect(panel.getByRole("button")).toHaveCount(revealed.key_images.length);
  // The CT opens at its key image: caption on the picture, annotations drawn on the overlay canvas.
  const firstKey = revealed.key_images[0]!;
  await expect(viewer.cell(0)).toContainText(`Inst ${firstKey.instance}`);
  await expect(viewer.cell(0)).toContainText(`★ ${firstKey.caption!.replace(/\s+/g, " ").slice(0, 30)}`);
  await expect.poll(() => viewer.overlayCoverage(0)).toBeGreaterThan(0.001);

  // The open case: no key-image list, nothing drawn, and no annotation text in the HTML or RSC payload.
  const number = numbers.get(MIXED)!;
  await viewer.openCase(number);
  await expect(viewer.sliceCounter(0)).toBeVisible();
  await expect(page.getByRole("region", { name: "Key images" })).toHaveCount(0);
  expect(await viewer.overlayCoverage(0)).toBe(0);
  const html = await (await page.request.get(`/cases/${number}`)).text();
  const rsc = await (await page.request.get(`/cases/${number}`, { headers: { RSC: "1" } })).text();
  expect(html).toContain("Presentation");
  const texts = keyImageTexts(MIXED);
  expect(texts.length).toBeGreaterThan(2);
  for (const body of [html, rsc]) {
    const lower = body.toLowerCase();
    for (const text of texts) expect(lower, text).not.toContain(text.toLowerCase());
    expect(lower).not.toContain("key_images");
    expect(lower).not.toContain('"annotations"');
  }
});

test("a resident's length measurement is kept on the server and comes back on the next visit", async ({ page }) => {
  const numbers = await caseNumbersBySlug(page);
  await new SignInPage(page).signInAs(demoAccount("resident"));
  const viewer = new ViewerPage(page);
  await viewer.openCase(numbers.get("emh-thalassemia-mixed")!);
  const root = page.getByTestId("case-viewer");
  const before = Number(await root.getAttribute("data-measurement-count"));
  await page.getByRole("button", { name: "Length tool" }).click();
  const box = (await viewer.viewport(0).boundingBox())!;
  const saved = page.waitForResponse((r) => r.request().method() === "POST" && r.request().headers()["next-action"] !== undefined && r.status() === 200);
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 5 });
  await page.mouse.up();
  await expect(root).toHaveAttribute("data-measurement-count", String(before + 1));
  await saved;
  await page.reload();
  await viewer.waitRendered(0);
  await expect(page.getByTestId("case-viewer")).toHaveAttribute("data-measurement-count", String(before + 1));
});
