import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { readBundleFolder } from "../../lib/cases/bundle";
import { extractBundleZip, findBundleRoot } from "../../lib/cases/unzip-bundle";
import { demoAccount, SignInPage } from "./support/pages";
import { caseNumbersBySlug } from "./support/viewer-page";

const slug = "emh-thalassemia-active";

test("an admin exports a case from the editor as a bundle zip the importer reads; residents get 403", async ({ page }) => {
  test.setTimeout(120_000);
  const number = (await caseNumbersBySlug(page)).get(slug)!;
  await new SignInPage(page).signInAs(demoAccount("admin"));
  await page.goto(`/author/cases/${number}`);
  const button = page.getByTestId("export-bundle");
  await expect(button).toHaveText("Export bundle (.zip)");
  await page.screenshot({ path: path.join("test-results", "export-button-1366.png"), clip: { x: 0, y: 0, width: 1366, height: 260 } });
  const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
  expect(download.suggestedFilename()).toBe(`${slug}.zip`);
  await expect(page.getByRole("status").filter({ hasText: "Downloading the bundle" })).toBeVisible();

  const zip = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "casebook-e2e-export-")), `${slug}.zip`);
  await download.saveAs(zip);
  const extracted = await extractBundleZip(zip);
  try {
    const bundle = await readBundleFolder(await findBundleRoot(extracted));
    expect(bundle.caseFile.slug).toBe(slug);
    expect(bundle.caseFile.answer.diagnosis.length).toBeGreaterThan(0);
    expect(bundle.keyImages.key_images.length).toBeGreaterThanOrEqual(2);
    expect(bundle.dicomFiles.length).toBeGreaterThan(50);
    expect(fs.existsSync(path.join(extracted, "collections.yaml"))).toBe(true);
  } finally {
    fs.rmSync(path.dirname(zip), { recursive: true, force: true });
    fs.rmSync(extracted, { recursive: true, force: true });
  }

  await page.context().clearCookies();
  await new SignInPage(page).signInAs(demoAccount("resident"));
  const refused = await page.request.get(`/api/cases/${number}/export`);
  expect(refused.status()).toBe(403);
  expect(await refused.text()).not.toContain("DICM");
});
