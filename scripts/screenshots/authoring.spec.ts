import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { CaseEditorPage, KeyImageTools, UploadPage } from "../../tests/e2e/support/authoring-pages";
import { demoAccount, SignInPage } from "../../tests/e2e/support/pages";

// Screenshots of the authoring pages for docs/screenshots, taken by hand:
//   E2E_PORT=... npm run screenshots -- authoring
// Not part of npm test (playwright.screenshots.config.ts): a person checks these pictures by looking at them.

const SIZES = [
  { name: "1440", width: 1440, height: 900 },
  { name: "820", width: 820, height: 1180 },
] as const;
const out = (name: string) => path.join("docs", "screenshots", name);

/** A real-sized CT series (512x512, 44 slices) the start command generated for a bundled case, renamed as a scanner would. */
function bundledCtFolder(): { name: string; bytes: Uint8Array }[] {
  const dir = path.join("cases", "emh-sclerosing-myelofibrosis", "dicom", "02-ct-ax-portal-venous");
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".dcm"))
    .sort()
    .map((f, i) => ({ name: `IM${String(i + 1).padStart(4, "0")}.dcm`, bytes: new Uint8Array(fs.readFileSync(path.join(dir, f))) }));
}

async function shoot(page: Page, name: string, scrollTo?: string) {
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    if (scrollTo) await page.locator(scrollTo).evaluate((el) => el.scrollIntoView({ block: "start" }));
    // Layout settles (the viewer's ResizeObserver redraws) before the picture.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.screenshot({ path: out(`${name}-${size.name}.png`) });
  }
}

test("authoring screenshots: upload progress and the key-image tools in the case editor", async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await new SignInPage(page).signInAs(demoAccount("educator"));
  const editor = new CaseEditorPage(page);
  const number = await editor.create("Splenic hamartoma (screenshot)");

  // Hold the last files' transfers so the picture shows the transfer part-way.
  const files = bundledCtFolder();
  const slices = files.length;
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route(/\/api\/uploads\/[^/]+\/files\?name=IM00([3-9]\d)/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`/author/upload?case=${number}`);
  const upload = new UploadPage(page);
  await upload.drop(files);
  await expect(upload.transferProgress()).toContainText(`Transfer: 29 of ${slices} files`);
  await shoot(page, "upload-transfer");
  release();
  await expect(upload.transferProgress()).toContainText(`Transfer: ${slices} of ${slices} files`);
  // The picture shows processing part-way when the machine is slow enough to catch it, else as it starts.
  await page.getByTestId("upload-process").click();
  await expect(upload.processingProgress()).toBeVisible();
  await expect(upload.processingProgress()).toContainText(/Processing: [1-9]\d* files checked/, { timeout: 10_000 }).catch(() => undefined);
  await shoot(page, "upload-processing");
  await expect(page.getByTestId("upload-groups")).toBeVisible({ timeout: 60_000 });
  await shoot(page, "upload-review");
  // Naming the series (its description was removed by de-identification): one picture at 1440x900.
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.getByTestId("upload-series-name").fill("CT AX PORTAL VENOUS");
  await page.getByTestId("upload-series-name").evaluate((el) => el.scrollIntoView({ block: "center" }));
  await page.screenshot({ path: out("upload-series-name-1440.png") });
  await page.getByTestId("upload-commit").click();
  await expect(page.getByTestId("upload-done")).toBeVisible();

  await page.goto(`/author/cases/${number}`);
  await editor.field("findings").fill("A well-defined hypodense splenic lesion.");
  const tools = new KeyImageTools(page);
  await page.locator("#images-heading").scrollIntoViewIfNeeded();
  await tools.waitRendered();
  await tools.choose("Arrow annotation");
  await tools.drag([0.3, 0.28], [0.42, 0.4]);
  await page.getByLabel("Annotation 1 text").fill("Spleen");
  await tools.choose("Ellipse annotation");
  await tools.drag([0.55, 0.55], [0.68, 0.68]);
  await tools.choose("Text label");
  await tools.click([0.62, 0.78]);
  await page.keyboard.type("Paravertebral mass");
  await page.getByLabel("Key image caption").fill("Axial CT, portal venous phase");
  await tools.choose("Arrow annotation");
  await tools.expectSaved();
  await shoot(page, "case-editor-annotate", "#images-heading");

  // A shape selected from the keyboard (Shift+N from the viewport): its entry has the focus ring, the hint says
  // which keys move it, and the shape is drawn selected.
  await page.keyboard.press("Escape");
  await tools.viewport().focus();
  await page.keyboard.press("Shift+N");
  await page.keyboard.press("Shift+N");
  await expect(page.getByTestId("shape-keys-hint")).toContainText("Annotation 2 selected");
  await page.keyboard.press("Shift+ArrowRight");
  await tools.expectSaved();
  await shoot(page, "case-editor-shape-selected", "#images-heading");
});
