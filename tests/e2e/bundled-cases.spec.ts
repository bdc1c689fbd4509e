import fs from "node:fs";
import dicomParser from "dicom-parser";
import { expect, test, type Page } from "@playwright/test";
import { demoAccount, SignInPage } from "./support/pages";

/** Every bundled case (a folder in cases/), as the educator sees them (scheduled ones included). */
async function listCases(page: Page): Promise<{ number: string; slug: string }[]> {
  await page.goto("/author");
  const rows = await page.locator("table.data tbody tr").all();
  const cases: { number: string; slug: string }[] = [];
  for (const row of rows) {
    const slug = (await row.locator("code").first().textContent())!.trim();
    if (!fs.existsSync(`cases/${slug}/case.yaml`)) continue; // cases other tests created
    cases.push({ slug, number: (await row.getByRole("link").first().textContent())!.replace("Case ", "").trim() });
  }
  return cases;
}

type CtStats = { corners: number; air: number; fat: number; soft: number; bone: number; boneCentroidX: number };

/** Hounsfield statistics of one stored CT image, read the way any DICOM reader would. */
function ctStats(bytes: Uint8Array): CtStats {
  const ds = dicomParser.parseDicom(bytes);
  const rows = ds.uint16("x00280010")!;
  const columns = ds.uint16("x00280011")!;
  const slope = Number(ds.string("x00281053") ?? 1);
  const intercept = Number(ds.string("x00281052") ?? 0);
  const signed = ds.uint16("x00280103") === 1;
  const el = ds.elements.x7fe00010!;
  const raw = signed
    ? new Int16Array(ds.byteArray.buffer, ds.byteArray.byteOffset + el.dataOffset, rows * columns)
    : new Uint16Array(ds.byteArray.buffer, ds.byteArray.byteOffset + el.dataOffset, rows * columns);
  const hu = (i: number) => raw[i]! * slope + intercept;
  let air = 0, fat = 0, soft = 0, bone = 0, boneX = 0;
  for (let i = 0; i < raw.length; i++) {
    const v = hu(i);
    if (v < -900) air++;
    else if (v >= -150 && v <= -50) fat++;
    else if (v >= 20 && v <= 60) soft++;
    else if (v > 300) {
      bone++;
      boneX += i % columns;
    }
  }
  const cornerIdx = [0, columns - 1, (rows - 1) * columns, rows * columns - 1];
  const n = raw.length;
  return {
    corners: cornerIdx.reduce((s, i) => s + hu(i), 0) / 4,
    air: air / n,
    fat: fat / n,
    soft: soft / n,
    bone: bone / n,
    boneCentroidX: bone ? boneX / bone / columns : NaN,
  };
}

test("every series of every bundled case renders in the viewer, and CT holds plausible Hounsfield units", async ({ page }) => {
  test.setTimeout(300_000);
  await new SignInPage(page).signInAs(demoAccount("educator"));
  const cases = await listCases(page);
  expect(cases.length).toBe(9);
  let seriesChecked = 0;
  for (const c of cases) {
    await page.goto(`/cases/${c.number}`);
    const viewport = page.locator('[data-viewport-index="0"]');
    const seriesButtons = page.locator("nav[aria-label=Series] [data-series-id]");
    await expect(seriesButtons.first()).toBeVisible();
    const count = await seriesButtons.count();
    expect(count, `${c.slug} has two or more series`).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < count; i++) {
      const button = seriesButtons.nth(i);
      const seriesId = await button.getAttribute("data-series-id");
      await button.click();
      await expect(viewport).toHaveAttribute("data-rendered-image-id", /\/api\/dicom\//);
      const label = (await button.getAttribute("aria-label")) ?? "";
      // The canvas shows a picture, not a blank: a spread of grey levels.
      const spread = await viewport.locator("canvas").first().evaluate((canvas: HTMLCanvasElement) => {
        const d = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
        const seen = new Set<number>();
        for (let p = 0; p < d.length; p += 16) seen.add(d[p]!);
        return seen.size;
      });
      expect(spread, `${c.slug} ${label}: grey levels on the canvas`).toBeGreaterThan(20);
      seriesChecked++;
      if (!/\bCT\b/.test(label)) continue;
      const imageId = (await viewport.getAttribute("data-rendered-image-id"))!;
      const url = /\/api\/dicom\/[0-9a-f-]{36}/.exec(imageId)![0];
      const stats = ctStats(new Uint8Array(await (await page.request.get(url)).body()));
      const where = `${c.slug} series ${seriesId}`;
      expect(stats.corners, `${where}: air in the corners`).toBeLessThan(-950);
      expect(stats.air, `${where}: air around the body`).toBeGreaterThan(0.1);
      expect(stats.fat, `${where}: subcutaneous fat near -100 HU`).toBeGreaterThan(0.01);
      expect(stats.soft, `${where}: soft tissue 20-60 HU`).toBeGreaterThan(0.05);
      expect(stats.bone, `${where}: bone above 300 HU`).toBeGreaterThan(0.002);
      // The spine carries most of the bone, so the bone sits around the midline.
      expect(Math.abs(stats.boneCentroidX - 0.5), `${where}: bone centred on the midline`).toBeLessThan(0.15);
    }
  }
  expect(seriesChecked).toBeGreaterThanOrEqual(30);
});
