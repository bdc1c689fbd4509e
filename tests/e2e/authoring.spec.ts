import { expect, test } from "@playwright/test";
import { CaseEditorPage, ctFolder, KeyImageTools, localInput, UploadPage } from "./support/authoring-pages";
import { demoAccount, SignInPage } from "./support/pages";

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;

test("an educator uploads a folder, writes and annotates the case, previews and opens it; a resident sees it without the annotations or the answer until the reveal", async ({ page, browser }) => {
  test.setTimeout(300_000);
  const word = `quux${unique()}`; // appears only in the answer, the teaching text and the annotations
  const title = `Splenic ${word} hamartoma`;
  const slices = 24;
  await new SignInPage(page).signInAs(demoAccount("educator"));
  const editor = new CaseEditorPage(page);
  const number = await editor.create(title);

  // Upload: drop the folder's files, watch the transfer, then the processing, then confirm the one series.
  await page.getByRole("link", { name: "Upload images" }).click();
  await page.waitForURL(/\/author\/upload\?case=/);
  const upload = new UploadPage(page);
  await expect(page.getByTestId("upload-case")).toHaveValue(/[0-9a-f-]{36}/);
  await upload.recordProgress();
  await upload.recordProcessingStream();
  await upload.drop(ctFolder(slices));
  await expect(upload.transferProgress()).toContainText(`Transfer: ${slices} of ${slices} files`);
  await expect(upload.transferProgress().locator("progress")).toHaveAttribute("value", "100");
  await page.getByTestId("upload-process").click();
  await expect(page.getByTestId("upload-groups")).toBeVisible({ timeout: 60_000 });
  const streamed = await upload.processingLines();
  const progressLines = streamed.filter((l) => l.type === "progress");
  expect(progressLines.length).toBeGreaterThan(0);
  expect(Math.max(...progressLines.map((l) => l.filesDone ?? 0))).toBeGreaterThan(0);
  expect(streamed[streamed.length - 1]!.type).toBe("done");
  const seen = await upload.progressSeen();
  expect(seen[0]).toMatch(new RegExp(`^Transfer: 0 of ${slices} files`));
  expect(seen.some((s) => s.startsWith(`Transfer: ${slices} of ${slices} files`))).toBe(true);
  expect(seen.some((s) => s.startsWith("Processing:"))).toBe(true);
  await expect(page.getByTestId("upload-results")).toContainText(`Files: ${slices} accepted, 0 duplicates, 0 refused`);
  await expect(page.getByTestId("upload-series")).toHaveCount(1);
  await expect(page.getByTestId("upload-commit")).toHaveText(`Add 1 series (${slices} images) to Case ${number}`);
  // De-identification removed the series description: the educator names it, starting from modality and plane.
  await expect(page.getByTestId("upload-series-name")).toHaveValue("CT AX");
  await page.getByTestId("upload-series-name").fill("CT AX SOFT TISSUE");
  await page.getByTestId("upload-commit").click();
  await expect(page.getByTestId("upload-done")).toContainText(`Added 1 series (${slices} images) to Case ${number}`);

  // Write the case.
  await page.getByRole("link", { name: `Edit Case ${number}` }).click();
  await page.waitForURL(new RegExp(`/author/cases/${number}$`));
  await editor.field("summary").fill("Incidental splenic lesion in an adult");
  await editor.field("ageBucket").selectOption("50-59");
  await editor.field("sex").selectOption("F");
  await editor.field("difficulty").selectOption("2");
  await editor.field("bodyRegion").fill("abdomen");
  await editor.field("modalities").fill("CT");
  await editor.field("history").fill("Left upper quadrant discomfort for a month.");
  await editor.field("findings").fill(`A well-defined ${word} lesion in the spleen.`);
  await editor.field("diagnosis").fill(`Splenic hamartoma (${word}).`);
  await editor.expectSaved();

  // The Series list: the upload's name is there; a name that gives the answer away is refused, a neutral one saved.
  const seriesName = page.getByTestId("series-name-input");
  await expect(seriesName).toHaveValue("CT AX SOFT TISSUE");
  await seriesName.fill(`CT ${title}`);
  await page.getByTestId("series-name-save").click();
  await expect(page.getByTestId("series-name-error")).toContainText("gives the answer away");
  await seriesName.fill("CT AX SOFT TISSUE 3MM");
  await page.getByTestId("series-name-save").click();
  await expect(page.getByTestId("series-name-save")).toHaveText("Saved");
  await expect(page.getByTestId("series-name-error")).toHaveCount(0);

  // Annotate the image shown: an arrow with a label, an ellipse (then deleted), a text label, a caption.
  const tools = new KeyImageTools(page);
  await tools.waitRendered();
  await expect(page.getByTestId("slice-counter")).toHaveText(`Im ${slices / 2}/${slices}`);
  expect(await tools.overlayCoverage()).toBe(0);
  const keyRequests: string[] = [];
  const putBodies: { annotations: { type: string; from?: number[]; to?: number[] }[] }[] = [];
  page.on("request", (r) => {
    if (!r.url().includes("/key-images")) return;
    keyRequests.push(`${r.method()} ${r.url()}`);
    if (r.method() === "PUT") putBodies.push(r.postDataJSON());
  });
  await expect(tools.strip()).toHaveAttribute("data-key-image", "false");
  await tools.choose("Arrow annotation");
  await tools.drag([0.3, 0.3], [0.48, 0.48]);
  await expect(tools.strip()).toHaveAttribute("data-key-image", "true");
  await expect(tools.items()).toHaveCount(1);
  await page.getByLabel("Annotation 1 text").fill(`arrow ${word}`);
  await tools.choose("Ellipse annotation");
  await tools.drag([0.55, 0.55], [0.7, 0.65]);
  await expect(tools.items()).toHaveCount(2);
  await expect(tools.items().nth(1)).toHaveAttribute("data-annotation-type", "ellipse");
  await tools.choose("Text label");
  await tools.click([0.6, 0.25]);
  await expect(tools.items()).toHaveCount(3);
  // The new label's text is focused and selected: typing replaces it.
  await page.keyboard.type(`label ${word}`);
  await expect(page.getByLabel("Annotation 3 text")).toHaveValue(`label ${word}`);
  await page.getByRole("button", { name: "Delete annotation 2" }).click();
  await expect(tools.items()).toHaveCount(2);
  await page.getByLabel("Key image caption").fill(`caption ${word}`);
  await tools.expectSaved();
  expect(await tools.overlayCoverage()).toBeGreaterThan(0.001);

  // Keyboard only: Shift+O picks the ellipse tool, Enter places one at the centre, Delete removes it again.
  await tools.viewport().focus();
  await page.keyboard.press("Shift+O");
  await expect(page.getByRole("button", { name: "Ellipse annotation tool", exact: true })).toHaveAttribute("aria-pressed", "true");
  await page.keyboard.press("Enter");
  await expect(tools.items()).toHaveCount(3);
  await expect(tools.items().nth(2)).toHaveAttribute("data-annotation-type", "ellipse");
  await page.keyboard.press("Delete");
  await expect(tools.items()).toHaveCount(2);
  await tools.expectSaved();

  // Editing a shape: with the arrow tool, dragging the arrow's head moves the head; the tail stays.
  await tools.choose("Arrow annotation");
  const before = putBodies[putBodies.length - 1]!.annotations[0]!;
  await tools.drag([0.48, 0.48], [0.52, 0.4]);
  await expect.poll(() => putBodies[putBodies.length - 1]!.annotations[0]!.to).not.toEqual(before.to);
  const moved = putBodies[putBodies.length - 1]!.annotations;
  expect(moved).toHaveLength(2);
  expect(moved[0]!.from).toEqual(before.from);
  await tools.expectSaved();
  expect(keyRequests.length).toBeGreaterThan(0);
  for (const r of keyRequests) expect(r).toMatch(new RegExp(`^(PUT|DELETE) .*/api/cases/${number}/key-images`));

  // Stored as data: after a reload the same shapes and texts come back, and the pixels are not touched.
  await page.reload();
  await tools.waitRendered();
  await expect(tools.strip()).toHaveAttribute("data-key-image", "true");
  await expect(tools.items()).toHaveCount(2);
  await expect(page.getByLabel("Annotation 1 text")).toHaveValue(`arrow ${word}`);
  await expect(page.getByLabel("Annotation 2 text")).toHaveValue(`label ${word}`);
  await expect(page.getByLabel("Key image caption")).toHaveValue(`caption ${word}`);
  const instanceId = /\/api\/dicom\/([0-9a-f-]{36})/.exec((await tools.viewport().getAttribute("data-rendered-image-id"))!)![1]!;
  const dicom = await page.request.get(`/api/dicom/${instanceId}`);
  expect((await dicom.body()).toString("latin1")).not.toContain(word);

  // Preview as a resident: before the reveal no annotation, caption or answer; after it, all of them.
  await page.getByRole("link", { name: "Preview as resident" }).click();
  await expect(page.getByTestId("case-phase")).toHaveText("Open");
  await expect(page.getByTestId("reveal")).toHaveCount(0);
  await tools.waitRendered();
  expect(await tools.overlayCoverage()).toBe(0);
  for (const headers of [undefined, { RSC: "1" }]) {
    const before = await (await page.request.get(`/author/cases/${number}/preview?view=before`, { headers })).text();
    expect(before.toLowerCase()).not.toContain(word);
  }
  await page.getByRole("link", { name: "After reveal" }).click();
  await expect(page.getByTestId("reveal")).toBeVisible();
  await expect(page.getByTestId("reveal")).toContainText(`caption ${word}`);
  await tools.waitRendered();
  await expect.poll(() => tools.overlayCoverage()).toBeGreaterThan(0.001);

  // Schedule it to open now.
  await page.getByRole("link", { name: "Back to the editor" }).click();
  await editor.field("summary").waitFor();
  await editor.saveSchedule("published", localInput(-0.1), localInput(48), localInput(72));
  await expect(page.getByTestId("schedule-message")).toHaveText("Schedule saved: published");
  await expect(page.getByTestId("editor-phase")).toHaveText("Open");

  // A resident: the case is open with its images, without annotations, caption or answer; they cannot write key images.
  const residentContext = await browser.newContext();
  const resident = await residentContext.newPage();
  await new SignInPage(resident).signInAs(demoAccount("resident"));
  await resident.goto(`/cases/${number}`);
  await expect(resident.getByTestId("case-phase")).toHaveText("Open");
  await expect(resident.getByText("Left upper quadrant discomfort for a month.")).toBeVisible();
  const residentTools = new KeyImageTools(resident);
  await residentTools.waitRendered();
  await expect(resident.getByTestId("slice-counter")).toHaveText(`Im ${slices / 2}/${slices}`);
  // The educator's series name in the viewport overlay and the series panel, never "(no description)".
  await expect(resident.locator('[class*="topLeft"]').first()).toContainText("CT AX SOFT TISSUE 3MM");
  await expect(resident.getByRole("button", { name: /^Show series CT AX SOFT TISSUE 3MM \(/ })).toBeVisible();
  await expect(resident.getByText("(no description)")).toHaveCount(0);
  expect(await residentTools.overlayCoverage()).toBe(0);
  await expect(resident.getByTestId("key-image-editor")).toHaveCount(0);
  await expect(resident.getByRole("button", { name: "Arrow annotation tool" })).toHaveCount(0);
  await expect(resident.getByTestId("reveal")).toHaveCount(0);
  for (const headers of [undefined, { RSC: "1" }]) {
    const text = await (await resident.request.get(`/cases/${number}`, { headers })).text();
    expect(text.toLowerCase()).not.toContain(word);
    expect(text).not.toContain("hamartoma");
  }
  const put = await resident.request.put(`/api/cases/${number}/key-images`, { data: { instanceId, caption: "", annotations: [] } });
  expect(put.status()).toBe(403);
  expect(await put.text()).not.toContain(word);
  expect((await resident.request.delete(`/api/cases/${number}/key-images?instanceId=${instanceId}`)).status()).toBe(403);
  expect((await resident.request.get(`/api/cases/${number}/key-images`)).status()).toBe(405);

  // The resident's attempts changed nothing.
  await page.reload();
  await expect(tools.items()).toHaveCount(2);
  await expect(page.getByLabel("Key image caption")).toHaveValue(`caption ${word}`);

  // Once the educator reveals the case, the resident gets the key image with its annotations.
  await page.getByRole("button", { name: "Reveal now" }).click();
  await page.getByRole("button", { name: "Confirm: reveal now" }).click();
  await expect(page.getByTestId("editor-phase")).toHaveText("Revealed");
  await resident.reload();
  await expect(resident.getByTestId("reveal")).toContainText(`caption ${word}`);
  await residentTools.waitRendered();
  await expect.poll(() => residentTools.overlayCoverage()).toBeGreaterThan(0.001);
  await expect(resident.getByTestId("key-image-editor")).toHaveCount(0);
  await residentContext.close();
});
