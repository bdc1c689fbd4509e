import path from "node:path";
import dicomParser from "dicom-parser";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { makeUltrasoundCapture, type PixelBox } from "../support/make-dicom";
import { CaseEditorPage, localInput, UploadPage } from "./support/authoring-pages";
import { demoAccount, SignInPage } from "./support/pages";

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;

/** Pixels of an <img> (as the browser decoded the server's PNG) inside `box` that are not black. */
function nonBlackIn(img: Locator, box: PixelBox): Promise<number> {
  return img.evaluate((el, b) => {
    const image = el as HTMLImageElement;
    const canvas = document.createElement("canvas");
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const ctx = canvas.getContext("2d")!;
    ctx.drawImage(image, 0, 0);
    const data = ctx.getImageData(b.x, b.y, b.width, b.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! > 0 || data[i + 1]! > 0 || data[i + 2]! > 0) n += 1;
    return n;
  }, box);
}

/** Drags a rectangle on the stage between two points in image pixels. */
async function drawRect(page: Page, stage: Locator, image: { width: number; height: number }, from: [number, number], to: [number, number]) {
  const box = (await stage.boundingBox())!;
  const at = ([x, y]: [number, number]) => [box.x + (x / image.width) * box.width, box.y + (y / image.height) * box.height] as const;
  await page.mouse.move(...at(from));
  await page.mouse.down();
  await page.mouse.move(...at(to), { steps: 6 });
  await page.mouse.up();
}

test("an educator blanks the burned-in text of a held ultrasound capture and can then schedule the case", async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  const root = `2.25.${BigInt(Date.now()) * 1000n + BigInt(Math.floor(Math.random() * 1000))}`;
  const capture = makeUltrasoundCapture({ studyUid: `${root}.1`, seriesUid: `${root}.2`, sopUid: `${root}.3` });
  const textBoxes = capture.boxes;

  await new SignInPage(page).signInAs(demoAccount("educator"));
  const editor = new CaseEditorPage(page);
  const number = await editor.create(`Thyroid nodule ${unique()}`);
  await editor.field("summary").fill("Neck lump in a young adult");
  await editor.field("ageBucket").selectOption("30-39");
  await editor.field("sex").selectOption("F");
  await editor.field("difficulty").selectOption("2");
  await editor.field("bodyRegion").fill("neck");
  await editor.field("modalities").fill("US");
  await editor.field("history").fill("A painless lump for two months.");
  await editor.expectSaved();

  // Upload the capture: it is accepted, and added held for review.
  await page.goto(`/author/upload?case=${number}`);
  const upload = new UploadPage(page);
  await upload.drop([{ name: "US0001.dcm", bytes: capture.bytes }]);
  await expect(upload.transferProgress()).toContainText("Transfer: 1 of 1 files");
  await page.getByTestId("upload-process").click();
  await expect(page.getByTestId("upload-groups")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("upload-groups")).toContainText("BurnedInAnnotation is YES");
  await page.getByTestId("upload-commit").click();
  await expect(page.getByTestId("upload-done")).toContainText(`Added 1 series (1 images) to Case ${number}`);
  await expect(page.getByTestId("upload-held-link")).toBeVisible();

  // Publishing is refused while the image is held.
  await page.goto(`/author/cases/${number}`);
  await editor.saveSchedule("published", localInput(24), localInput(48), localInput(72));
  await expect(page.getByTestId("schedule-message")).toContainText("1 image is held for review (possible burned-in text)");

  await page.getByTestId("held-images-link").click();
  await page.waitForURL(new RegExp(`/author/cases/${number}/held$`));
  const stage = page.getByTestId("held-stage");
  const img = page.getByTestId("held-image");
  await expect(stage).toHaveAttribute("data-loaded", "true");
  const instanceId = /\/api\/instances\/([0-9a-f-]{36})\//.exec((await img.getAttribute("src"))!)![1]!;
  // The server's rendering shows the text: every text box has white pixels.
  for (const b of textBoxes) expect(await nonBlackIn(img, b)).toBeGreaterThan(20);

  // One rectangle over the three lines of patient text, one over the institution.
  await drawRect(page, stage, capture, [1.5, 1.5], [174.5, 57.5]);
  await drawRect(page, stage, capture, [230.5, 218.5], [319.5, 239.5]);
  await expect(page.getByTestId("held-rect")).toHaveCount(2);
  const rects = (await page.getByTestId("held-rect-list").locator("li code").allTextContents()).map((t) => {
    const [, x, y, width, height] = /x (\d+) y (\d+) · (\d+)×(\d+)/u.exec(t)!.map(Number);
    return { x: x!, y: y!, width: width!, height: height! };
  });
  expect(rects).toEqual([
    { x: 1, y: 1, width: 174, height: 57 },
    { x: 230, y: 218, width: 90, height: 22 },
  ]);

  if (process.env.CASEBOOK_SCREENSHOTS) {
    await page.screenshot({ path: path.join("docs", "screenshots", "held-image-tool-1440.png") });
    // The laptop and tablet layouts (the rectangles are kept in image pixels, so they follow the resize).
    for (const [width, height] of [[1366, 768], [820, 1180]] as const) {
      await page.setViewportSize({ width, height });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await page.screenshot({ path: path.join("docs", "screenshots", `held-image-tool-${width}.png`) });
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  }

  // Preview: the server renders the result; nothing inside the rectangles is left but black.
  await page.getByRole("button", { name: "Preview result" }).click();
  await expect(stage).toHaveAttribute("data-previewing", "true");
  await expect(stage).toHaveAttribute("data-loaded", "true");
  for (const r of rects) expect(await nonBlackIn(img, r)).toBe(0);
  expect(await nonBlackIn(img, { x: 120, y: 100, width: 80, height: 60 })).toBeGreaterThan(1000);
  if (process.env.CASEBOOK_SCREENSHOTS) await page.screenshot({ path: path.join("docs", "screenshots", "held-image-tool-preview-1440.png") });

  await page.getByRole("button", { name: "Apply blanking" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Blanked 2 rectangles" })).toBeVisible();
  await expect(page.getByTestId("held-none")).toBeVisible();

  // The DICOM the viewer is served now: BurnedInAnnotation NO, black inside the rectangles, the rest as uploaded.
  const served = await page.request.get(`/api/dicom/${instanceId}`);
  expect(served.status()).toBe(200);
  const bytes = new Uint8Array(await served.body());
  const ds = dicomParser.parseDicom(bytes);
  expect(ds.string("x00280301")).toBe("NO");
  expect(ds.string("x00120063")).toMatch(/Burned-in text blanked/u);
  const pixels = bytes.subarray(ds.elements.x7fe00010!.dataOffset);
  const source = dicomParser.parseDicom(capture.bytes);
  const original = capture.bytes.subarray(source.elements.x7fe00010!.dataOffset);
  let insideLit = 0;
  let outsideChanged = 0;
  for (let y = 0; y < capture.height; y++)
    for (let x = 0; x < capture.width; x++) {
      const i = (y * capture.width + x) * 3;
      const inside = rects.some((r) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height);
      for (let s = 0; s < 3; s++) {
        if (inside && pixels[i + s] !== 0) insideLit += 1;
        if (!inside && pixels[i + s] !== original[i + s]) outsideChanged += 1;
      }
    }
  expect(insideLit).toBe(0);
  expect(outsideChanged).toBe(0);

  // With nothing held the case can be scheduled.
  await page.getByRole("link", { name: "Back to the editor" }).click();
  await page.waitForURL(new RegExp(`/author/cases/${number}$`));
  await expect(page.getByTestId("held-images-link")).toHaveCount(0);
  await editor.saveSchedule("published", localInput(24), localInput(48), localInput(72));
  await expect(page.getByTestId("schedule-message")).toHaveText("Schedule saved: published");
});
