import { expect, test } from "@playwright/test";
import { CaseEditorPage, ctFolder, KeyImageTools, UploadPage } from "./support/authoring-pages";
import { demoAccount, SignInPage } from "./support/pages";

test("keyboard only: an educator selects a shape, moves it with the arrow keys, and after a reload it is where it was moved; Delete removes it; key images reorder", async ({ page }) => {
  test.setTimeout(240_000);
  await new SignInPage(page).signInAs(demoAccount("educator"));
  const editor = new CaseEditorPage(page);
  const number = await editor.create(`Keyboard shapes ${Date.now().toString(36)}`);

  // Three 256 x 256 CT slices to draw on.
  await page.goto(`/author/upload?case=${number}`);
  const upload = new UploadPage(page);
  await upload.drop(ctFolder(3));
  await expect(upload.transferProgress()).toContainText("Transfer: 3 of 3 files");
  await page.getByTestId("upload-process").click();
  await expect(page.getByTestId("upload-groups")).toBeVisible({ timeout: 60_000 });
  await page.getByTestId("upload-commit").click();
  await expect(page.getByTestId("upload-done")).toBeVisible();

  await page.goto(`/author/cases/${number}`);
  const tools = new KeyImageTools(page);
  await tools.waitRendered();
  const position = (i: number) => tools.items().nth(i).getByTestId("annotation-position");
  const select = (i: number) => tools.items().nth(i).getByRole("button", { name: new RegExp(`^Select annotation ${i + 1}:`) });

  // An arrow placed from the keyboard: Shift+A picks the tool, Enter puts its head at the image centre.
  await tools.viewport().focus();
  await page.keyboard.press("Shift+A");
  await page.keyboard.press("Enter");
  await expect(tools.items()).toHaveCount(1);
  await expect(position(0)).toHaveText("128, 128");
  await page.keyboard.press("Escape");
  await expect(select(0)).toHaveAttribute("aria-pressed", "false");
  // Not selected: the arrow keys still page through the images.
  await tools.viewport().focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowUp");
  await expect(position(0)).toHaveText("128, 128");

  // Select by Tab from the caption to the shape's entry, then Enter; the entry shows its focus and its selection.
  await page.getByLabel("Key image caption").focus();
  await page.keyboard.press("Tab");
  await expect(select(0)).toBeFocused();
  const outline = await select(0).evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).toBe("solid");
  await page.keyboard.press("Enter");
  await expect(select(0)).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("shape-keys-hint")).toContainText("arrow keys move it");

  // Three pixels right, twenty down (Shift: ten at a time).
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Shift+ArrowDown");
  await page.keyboard.press("Shift+ArrowDown");
  await expect(position(0)).toHaveText("131, 148");
  await expect(select(0)).toHaveAccessibleName("Select annotation 1: Arrow at 131, 148");
  // Rotated a quarter turn right, "right" on screen is up in the image: the shape follows the screen.
  await page.keyboard.press("r");
  await page.keyboard.press("ArrowRight");
  await expect(position(0)).toHaveText("131, 147");
  await tools.expectSaved();

  // The help sheet lists the keys.
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Viewer shortcuts" })).toContainText("Move the selected shape left (Shift: 10 px)");
  await page.keyboard.press("Escape");

  // Stored: after a reload the arrow is where the keys put it.
  await page.reload();
  await tools.waitRendered();
  await expect(tools.items()).toHaveCount(1);
  await expect(position(0)).toHaveText("131, 147");

  // Shift+N selects it from the viewport (its entry takes the focus); Delete removes it and saves.
  await tools.viewport().focus();
  await page.keyboard.press("Shift+N");
  await expect(select(0)).toHaveAttribute("aria-pressed", "true");
  await expect(select(0)).toBeFocused();
  await page.keyboard.press("Delete");
  await expect(tools.items()).toHaveCount(0);
  await expect(tools.viewport()).toBeFocused();
  await tools.expectSaved();
  await page.reload();
  await tools.waitRendered();
  await expect(tools.items()).toHaveCount(0);

  // Key images reorder from the keyboard too: mark the next image (Shift+K), then move it above the first.
  await tools.viewport().focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Shift+K");
  await tools.expectSaved();
  const links = page.getByTestId("key-image-link");
  await expect(links).toHaveText(["★ CT AX, image 2", "★ CT AX, image 3"]);
  await expect(page.getByRole("button", { name: "Move key image 1 up" })).toBeDisabled();
  await page.getByRole("button", { name: "Move key image 2 up" }).focus();
  await page.keyboard.press("Enter");
  await expect(links).toHaveText(["★ CT AX, image 3", "★ CT AX, image 2"]);
  // The focus stays with the key image it moved (now first, so on its "down" button).
  await expect(page.getByRole("button", { name: "Move key image 1 down" })).toBeFocused();
  await tools.expectSaved();
  await page.reload();
  await tools.waitRendered();
  await expect(links).toHaveText(["★ CT AX, image 3", "★ CT AX, image 2"]);
});
