import { expect, test } from "@playwright/test";
import { CaseEditorPage, localInput } from "./support/authoring-pages";
import { demoAccount, SignInPage } from "./support/pages";

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;

test("an educator creates a case, edits it with autosave, tries answers, schedules, previews and deletes it", async ({ page }) => {
  test.setTimeout(180_000);
  const word = `zeta${unique()}`; // a diagnosis word that appears nowhere else
  const title = `Vertebral ${word} hemangioma`;
  await new SignInPage(page).signInAs(demoAccount("educator"));
  const editor = new CaseEditorPage(page);
  const number = await editor.create(title);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Case ${number}`);
  await expect(editor.field("slug")).toHaveValue(`vertebral-${word}-hemangioma`);
  await expect(page.locator("#key-diagnosis")).toHaveValue(title);

  // Every kind of field; the status line reports the autosave.
  await editor.field("summary").fill("Back pain in a middle-aged adult");
  await editor.field("ageBucket").selectOption("40-49");
  await editor.field("sex").selectOption("M");
  await editor.field("difficulty").selectOption("3");
  await editor.field("bodyRegion").fill("thoracic-spine");
  await editor.field("modalities").fill("CT, mr");
  await editor.field("tags").fill("spine, incidental");
  await editor.field("history").fill("Back pain for **six weeks**. <script>alert(1)</script>");
  await editor.field("findings").fill(`Corduroy trabeculae in T8 (${word}).`);
  await editor.field("diagnosis").fill(`Vertebral hemangioma, ${word} variant.`);
  await page.getByRole("button", { name: "Add differential row" }).click();
  await page.getByLabel("Differential 1 diagnosis").fill("Metastasis");
  await page.getByLabel("Differential 1 why less likely").fill("No cortical destruction");
  await editor.field("learningPoints").fill("Polka-dot sign on axial CT\nCorduroy sign on sagittal");
  await expect(editor.saveStatus()).toHaveText(/Unsaved changes|Saving/);
  await editor.expectSaved();

  // The markdown preview goes through the published page's sanitiser.
  await page.getByRole("button", { name: "Preview", exact: true }).first().click();
  const preview = page.getByTestId("f-history-preview");
  await expect(preview.locator("strong")).toHaveText("six weeks");
  await expect(preview.locator("script")).toHaveCount(0);

  // Answer key and a live trial against it (unsaved key: the trial uses what is on screen).
  await page.locator("#key-synonyms").fill("hemangioma\nvertebral hemangioma");
  await page.locator("#key-reject").fill("hemangioendothelioma");
  await editor.tryAnswer("hemangioma of T8");
  await expect(page.getByTestId("try-verdict")).toHaveText("Correct");
  await expect(page.getByTestId("try-score")).toHaveText("1");
  await expect(page.getByTestId("try-group")).not.toHaveText("—");
  await editor.tryAnswer("metastasis");
  await expect(page.getByTestId("try-verdict")).toHaveText("Incorrect");
  await editor.expectSaved();

  // What was saved is what comes back.
  await page.reload();
  await expect(editor.field("summary")).toHaveValue("Back pain in a middle-aged adult");
  await expect(editor.field("modalities")).toHaveValue("CT, MR");
  await expect(page.locator("#key-synonyms")).toHaveValue("hemangioma\nvertebral hemangioma");
  await expect(page.getByLabel("Differential 1 diagnosis")).toHaveValue("Metastasis");

  // The schedule: order is checked; publishing with an opening time in the past opens the case.
  await expect(page.locator("#schedule-opensAt")).toBeEnabled();
  await page.locator("#schedule-opensAt").fill(localInput(24));
  await page.locator("#schedule-closesAt").fill(localInput(2));
  await expect(page.getByText("Closes must be after opens")).toBeVisible();
  await expect(page.getByRole("button", { name: "Save schedule" })).toBeDisabled();
  const opens = localInput(-1);
  await editor.saveSchedule("published", opens, localInput(48), localInput(72));
  await expect(page.getByTestId("schedule-message")).toHaveText("Schedule saved: published");
  await expect(page.getByTestId("editor-phase")).toHaveText("Open");
  await page.reload();
  await expect(page.locator("#schedule-opensAt")).toHaveValue(opens);

  // Manual close and reveal, each confirmed by a second click.
  await page.getByRole("button", { name: "Close now" }).click();
  await page.getByRole("button", { name: "Confirm: close now" }).click();
  await expect(page.getByTestId("editor-phase")).toHaveText("Closed · awaiting reveal");
  await page.getByRole("button", { name: "Reveal now" }).click();
  await page.getByRole("button", { name: "Confirm: reveal now" }).click();
  await expect(page.getByTestId("editor-phase")).toHaveText("Revealed");

  // Preview as a resident: before the reveal nothing of the answer is on the page, after it everything is.
  await page.getByRole("link", { name: "Preview as resident" }).click();
  await expect(page.getByTestId("case-heading")).toHaveText(`Case ${number}`);
  await expect(page.getByTestId("case-phase")).toHaveText("Open");
  await expect(page.getByText("six weeks")).toBeVisible();
  await expect(page.getByTestId("reveal")).toHaveCount(0);
  const before = await (await page.request.get(`/author/cases/${number}/preview?view=before`)).text();
  expect(before.toLowerCase()).not.toContain(word);
  await page.getByRole("link", { name: "After reveal" }).click();
  await expect(page.getByTestId("reveal")).toBeVisible();
  await expect(page.getByTestId("case-heading")).toContainText(title);
  await expect(page.getByRole("heading", { name: `Diagnosis: ${title}` })).toBeVisible();
  await expect(page.getByRole("cell", { name: "No cortical destruction" })).toBeVisible();

  // Back to a draft, then delete it: the dashboard is as it was.
  await page.getByRole("link", { name: "Back to the editor" }).click();
  await expect(page.locator("#schedule-status")).toBeEnabled();
  await page.locator("#schedule-status").selectOption("draft");
  await page.getByRole("button", { name: "Save schedule" }).click();
  await expect(page.getByTestId("schedule-message")).toHaveText("Schedule saved: draft");
  await page.reload();
  await page.getByRole("button", { name: "Delete draft" }).click();
  await page.getByRole("button", { name: "Confirm: delete this draft" }).click();
  await page.waitForURL(/\/author$/);
  await expect(page.getByRole("link", { name: `Case ${number}`, exact: true })).toHaveCount(0);
});

test("edits survive a reload before the autosave, and a concurrent save is refused with a message", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await new SignInPage(page).signInAs(demoAccount("educator"));
  const editor = new CaseEditorPage(page);
  const number = await editor.create(`Conflict test ${unique()}`);

  // Typed, then reloaded at once: the browser kept it and saves it after the reload.
  await editor.field("summary").fill("Typed just before a reload");
  await page.reload();
  await expect(page.getByTestId("restored-notice")).toBeVisible();
  await expect(editor.field("summary")).toHaveValue("Typed just before a reload");
  await editor.expectSaved();

  // A second editor (an admin) saves on top; the first editor's next save is refused, not silently merged.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await new SignInPage(admin).signInAs(demoAccount("admin"));
  await admin.goto(`/author/cases/${number}`);
  const adminEditor = new CaseEditorPage(admin);
  await adminEditor.field("bodyRegion").fill("pelvis");
  await adminEditor.expectSaved();

  await editor.field("bodyRegion").fill("thorax");
  await expect(editor.saveStatus()).toContainText("Not saved: someone else saved this case", { timeout: 20_000 });
  await page.reload();
  await expect(page.getByTestId("restored-notice")).toBeVisible();
  await expect(editor.saveStatus()).toContainText("Not saved: someone else saved this case", { timeout: 20_000 });
  await page.getByRole("button", { name: "Overwrite with mine" }).click();
  await editor.expectSaved();
  await admin.reload();
  await expect(adminEditor.field("bodyRegion")).toHaveValue("thorax");
  await adminContext.close();

  // Residents get a 403 on the editor.
  await page.context().clearCookies();
  await new SignInPage(page).signInAs(demoAccount("resident"));
  expect((await page.goto(`/author/cases/${number}`))?.status()).toBe(403);

  await page.context().clearCookies();
  await new SignInPage(page).signInAs(demoAccount("educator"));
  await page.goto(`/author/cases/${number}`);
  await page.getByRole("button", { name: "Delete draft" }).click();
  await page.getByRole("button", { name: "Confirm: delete this draft" }).click();
  await page.waitForURL(/\/author$/);
});
