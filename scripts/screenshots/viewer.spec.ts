import { expect, test } from "@playwright/test";
import { demoAccount, SignInPage } from "../../tests/e2e/support/pages";
import { caseNumbersBySlug, ViewerPage } from "../../tests/e2e/support/viewer-page";

// The README's viewer screenshot, taken by hand after viewer changes:
//   E2E_PORT=... npm run screenshots -- viewer
// Not part of npm test (playwright.screenshots.config.ts): a person checks the picture by looking at it.

const CASE = "emh-thalassemia-mixed"; // open: CT + 3 MR series on one frame of reference

test("viewer screenshot: a thalassemia case's CT and MR series in 2x2, scrolling synchronised", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const number = (await caseNumbersBySlug(page)).get(CASE);
  expect(number, `case number of ${CASE}`).toBeTruthy();
  await new SignInPage(page).signInAs(demoAccount("resident"));
  const viewer = new ViewerPage(page);
  await viewer.openCase(number!);
  await viewer.setLayout("2×2");
  for (let i = 0; i < 4; i++) await viewer.waitRendered(i);
  await expect(viewer.cell(0)).toContainText("CT");
  for (let i = 1; i < 4; i++) await expect(viewer.cell(i)).toContainText("MR");
  // A few slices down on the CT: the MR viewports follow by position.
  const before = await viewer.renderedImageId(1);
  await viewer.activate(0);
  for (let k = 0; k < 4; k++) await page.keyboard.press("ArrowDown");
  await viewer.waitRenderedOtherThan(1, before);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.locator('[aria-label="Images"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: "docs/screenshots/case-viewer-2x2.png" });
});
