import { expect, type Locator, type Page } from "@playwright/test";
import { demoAccount, SignInPage } from "./pages";

/** slug -> case number, read from the educator's authoring table (residents never see slugs). Signs out after. */
export async function caseNumbersBySlug(page: Page): Promise<Map<string, string>> {
  await new SignInPage(page).signInAs(demoAccount("educator"));
  await page.goto("/author");
  const map = new Map<string, string>();
  for (const row of await page.locator("table.data tbody tr").all()) {
    const slug = (await row.locator("code").first().textContent())!.trim();
    const number = (await row.getByRole("link").first().textContent())!.replace("Case ", "").trim();
    map.set(slug, number);
  }
  await page.context().clearCookies();
  return map;
}

const RENDERED = /\/api\/dicom\/[0-9a-f-]{36}/;

/**
 * Page object for the case page's Cornerstone viewer. Every wait is on a render signal the viewport
 * publishes (`data-rendered-image-id`, the overlay text), never on a timer.
 */
export class ViewerPage {
  constructor(readonly page: Page) {}

  async openCase(number: string) {
    await this.page.goto(`/cases/${number}`);
    await this.waitRendered(0);
  }

  /** The cornerstone enabled element of viewport `i`. */
  viewport(i: number): Locator {
    return this.page.locator(`[data-viewport-index="${i}"]`);
  }

  /** The viewport's cell: the element plus its overlays, scrollbar and messages. */
  cell(i: number): Locator {
    return this.viewport(i).locator("..");
  }

  viewports(): Locator {
    return this.page.locator("[data-viewport-index]");
  }

  /** The image canvas cornerstone draws into (not the annotation overlay). */
  canvas(i: number): Locator {
    return this.viewport(i).locator("canvas").first();
  }

  sliceCounter(i: number): Locator {
    return this.cell(i).getByTestId("slice-counter");
  }

  windowReadout(i: number): Locator {
    return this.cell(i).getByTestId("window-readout");
  }

  async waitRendered(i: number) {
    await expect(this.viewport(i)).toHaveAttribute("data-rendered-image-id", RENDERED);
  }

  async renderedImageId(i: number): Promise<string> {
    await this.waitRendered(i);
    return (await this.viewport(i).getAttribute("data-rendered-image-id"))!;
  }

  /** Waits until viewport `i` has drawn an image other than `previous`, and returns its id. */
  async waitRenderedOtherThan(i: number, previous: string): Promise<string> {
    await expect(this.viewport(i)).not.toHaveAttribute("data-rendered-image-id", previous);
    return this.renderedImageId(i);
  }

  /** The instance id in an image id such as `casebook:/api/dicom/<uuid>#0`. */
  static instanceIdOf(imageId: string): string {
    return /\/api\/dicom\/([0-9a-f-]{36})/.exec(imageId)![1]!;
  }

  /** Current slice and stack length from the "Im 3/44" counter. */
  async slice(i: number): Promise<{ index: number; count: number }> {
    const text = (await this.sliceCounter(i).textContent()) ?? "";
    const m = /Im (\d+)\/(\d+)/.exec(text);
    if (!m) throw new Error(`no slice counter in viewport ${i}: "${text}"`);
    return { index: Number(m[1]), count: Number(m[2]) };
  }

  private async overlayNumber(i: number, label: "Loc" | "Thk"): Promise<number> {
    const text = (await this.cell(i).getByText(new RegExp(`^${label} -?[\\d.]+ mm$`)).textContent()) ?? "";
    return Number(/(-?[\d.]+) mm/.exec(text)![1]);
  }

  /** The overlay's slice location (mm) of the image viewport `i` shows. */
  sliceLocation(i: number): Promise<number> {
    return this.overlayNumber(i, "Loc");
  }

  sliceThickness(i: number): Promise<number> {
    return this.overlayNumber(i, "Thk");
  }

  /** Focuses a viewport (makes it the active one) without a mouse gesture. */
  async activate(i: number) {
    await this.viewport(i).focus();
    await expect(this.page.getByTestId("case-viewer")).toHaveAttribute("data-active-viewport", String(i));
  }

  async setLayout(label: "1×1" | "1×2" | "2×1" | "2×2") {
    await this.page.getByRole("button", { name: `Layout ${label}`, exact: true }).click();
  }

  /** Shows a series (by description) in the active viewport through the series panel. */
  async showSeries(description: string) {
    await this.page.getByRole("button", { name: new RegExp(`^Show series ${escapeRegExp(description)} \\(`) }).click();
  }

  /** Wheel over viewport `i`: positive notches go to the next images. */
  async wheel(i: number, notches: number) {
    const box = (await this.viewport(i).boundingBox())!;
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let n = 0; n < Math.abs(notches); n++) await this.page.mouse.wheel(0, Math.sign(notches) * 100);
  }

  /** A left-button drag across viewport `i` (the window/level tool by default). */
  async drag(i: number, dx: number, dy: number) {
    const box = (await this.viewport(i).boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + dx, y + dy, { steps: 8 });
    await this.page.mouse.up();
  }

  /** A hash of the pixels cornerstone drew in viewport `i`. */
  canvasHash(i: number): Promise<string> {
    return this.canvas(i).evaluate((canvas: HTMLCanvasElement) => {
      const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
      let h = 0x811c9dc5;
      for (let k = 0; k < data.length; k++) h = Math.imul(h ^ data[k]!, 0x01000193);
      return `${canvas.width}x${canvas.height}:${(h >>> 0).toString(16)}`;
    });
  }

  /** Largest per-channel difference between the canvases of two viewports (same size required). */
  async maxPixelDifference(a: number, b: number): Promise<{ max: number; differing: number; lit: number; size: string }> {
    return this.page.evaluate(
      ([ia, ib]) => {
        const pick = (i: number) => document.querySelector<HTMLCanvasElement>(`[data-viewport-index="${i}"] canvas`)!;
        const [ca, cb] = [pick(ia), pick(ib)];
        if (ca.width !== cb.width || ca.height !== cb.height) return { max: 255, differing: -1, lit: 0, size: `${ca.width}x${ca.height} vs ${cb.width}x${cb.height}` };
        const da = ca.getContext("2d")!.getImageData(0, 0, ca.width, ca.height).data;
        const db = cb.getContext("2d")!.getImageData(0, 0, cb.width, cb.height).data;
        let max = 0;
        let differing = 0;
        let lit = 0;
        for (let k = 0; k < da.length; k++) {
          const d = Math.abs(da[k]! - db[k]!);
          if (d > max) max = d;
          if (d > 0) differing++;
          if (k % 4 === 0 && da[k]! > 30) lit++;
        }
        return { max, differing, lit, size: `${ca.width}x${ca.height}` };
      },
      [a, b] as const,
    );
  }

  /** Share of the annotation overlay canvas of viewport `i` that has something drawn on it. */
  overlayCoverage(i: number): Promise<number> {
    return this.cell(i)
      .locator(":scope > canvas")
      .evaluate((canvas: HTMLCanvasElement) => {
        const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let k = 3; k < data.length; k += 4) if (data[k]! > 0) n++;
        return n / Math.max(1, data.length / 4);
      });
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
