import { expect, type Locator, type Page } from "@playwright/test";
import { makeCtSlice } from "../../support/make-dicom";
import { ViewerPage } from "./viewer-page";

/** A folder of real CT: `n` axial slices written by dcmjs, as a scanner export names them. */
export function ctFolder(n: number): { name: string; bytes: Uint8Array }[] {
  const root = `2.25.${BigInt(Date.now()) * 1000n + BigInt(Math.floor(Math.random() * 1000))}`;
  return Array.from({ length: n }, (_, i) => ({
    name: `IM${String(i + 1).padStart(4, "0")}.dcm`,
    bytes: makeCtSlice({
      studyUid: `${root}.1`,
      seriesUid: `${root}.2`,
      sopUid: `${root}.3.${i + 1}`,
      frameOfReferenceUid: `${root}.4`,
      seriesDescription: "AX SOFT TISSUE",
      seriesNumber: 2,
      // Shuffled instance numbers: the server sorts by position, not by file name or number.
      instanceNumber: ((i * 7) % n) + 1,
      z: -i * 5,
      size: 256,
    }),
  }));
}

/** A moment as a datetime-local value in the browser's zone (the test and the browser share the machine's). */
export function localInput(offsetHours: number): string {
  const d = new Date(Date.now() + offsetHours * 3_600_000);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** Page object for /author/cases/<n>: fields by id, the save status, the side panels. */
export class CaseEditorPage {
  constructor(readonly page: Page) {}
  field(name: string) {
    return this.page.locator(`#f-${name}`);
  }
  saveStatus() {
    return this.page.getByTestId("save-status");
  }
  async expectSaved() {
    await expect(this.saveStatus()).toHaveText(/^Saved at \d/, { timeout: 20_000 });
  }
  async create(title: string): Promise<number> {
    await this.page.goto("/author");
    await this.page.getByRole("link", { name: "New case" }).click();
    await this.page.getByLabel("Title (the diagnosis)").fill(title);
    await this.page.getByRole("button", { name: "Create draft" }).click();
    await this.page.waitForURL(/\/author\/cases\/\d+$/);
    return Number(/\/author\/cases\/(\d+)$/.exec(this.page.url())![1]);
  }
  async tryAnswer(answer: string) {
    await this.page.locator("#try-answer").fill(answer);
    await this.page.getByRole("button", { name: "Try", exact: true }).click();
  }
  async saveSchedule(status: "draft" | "published", opens: string, closes: string, reveals: string) {
    await this.page.locator("#schedule-status").selectOption(status);
    await this.page.locator("#schedule-opensAt").fill(opens);
    await this.page.locator("#schedule-closesAt").fill(closes);
    await this.page.locator("#schedule-revealsAt").fill(reveals);
    await this.page.getByRole("button", { name: "Save schedule" }).click();
  }
}

/** Page object for /author/upload: a drop of files, the two progress bars, the series to confirm. */
export class UploadPage {
  constructor(readonly page: Page) {}

  dropzone(): Locator {
    return this.page.getByTestId("upload-dropzone");
  }
  transferProgress(): Locator {
    return this.page.getByTestId("upload-transfer-progress");
  }
  processingProgress(): Locator {
    return this.page.getByTestId("upload-processing-progress");
  }

  /**
   * Starts recording every label the progress bars show (a MutationObserver in the page), so a test can check the
   * progress moved through its states without timing anything.
   */
  async recordProgress() {
    await this.page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __progressSeen: string[] }).__progressSeen = seen;
      const note = () => {
        for (const el of document.querySelectorAll('[data-testid$="-progress"] span')) {
          const text = el.textContent ?? "";
          if (text && seen[seen.length - 1] !== text) seen.push(text);
        }
      };
      new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  }
  /**
   * Keeps a copy of the processing answer's streamed lines (a tee of the fetch the page makes, so the page still
   * reads it as a stream); DevTools cannot hand over the body of a streamed response reliably.
   */
  async recordProcessingStream() {
    await this.page.evaluate(() => {
      const w = window as unknown as { __processText?: string };
      const original = window.fetch.bind(window);
      window.fetch = async (input, init) => {
        const response = await original(input, init);
        const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
        if (/\/api\/uploads\/[^/]+\/process$/.test(url)) void response.clone().text().then((t) => (w.__processText = t));
        return response;
      };
    });
  }
  /** The processing answer's lines, once it has ended. */
  async processingLines(): Promise<{ type: string; filesDone?: number }[]> {
    const handle = await this.page.waitForFunction(() => (window as unknown as { __processText?: string }).__processText);
    const text = (await handle.jsonValue()) as string;
    return text.trim().split("\n").map((l) => JSON.parse(l) as { type: string; filesDone?: number });
  }
  progressSeen(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as { __progressSeen: string[] }).__progressSeen);
  }

  /**
   * Drops files on the drop zone the way a browser does: one DataTransfer holding File objects, dispatched as
   * dragenter, dragover and drop. `files` carry their bytes from the test process.
   */
  async drop(files: { name: string; bytes: Uint8Array }[]) {
    const payload = files.map((f) => ({ name: f.name, base64: Buffer.from(f.bytes).toString("base64") }));
    await this.dropzone().evaluate((zone, items) => {
      const dt = new DataTransfer();
      for (const item of items) {
        const binary = atob(item.base64);
        const bytes = new Uint8Array(binary.length);
        for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
        dt.items.add(new File([bytes], item.name, { type: "application/dicom" }));
      }
      for (const type of ["dragenter", "dragover", "drop"]) zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }, payload);
  }
}

/** Page object for the case editor's key-image tools (the viewer on /author/cases/<n>). */
export class KeyImageTools {
  constructor(readonly page: Page) {}

  viewport(i = 0): Locator {
    return this.page.locator(`[data-viewport-index="${i}"]`);
  }
  strip(): Locator {
    return this.page.getByTestId("key-image-editor");
  }
  items(): Locator {
    return this.page.getByTestId("annotation-item");
  }
  status(): Locator {
    return this.page.getByTestId("key-image-status");
  }
  async waitRendered(i = 0) {
    await new ViewerPage(this.page).waitRendered(i);
  }
  async expectSaved() {
    await expect(this.status()).toHaveText(/^Saved at /, { timeout: 20_000 });
  }
  async choose(tool: "Arrow annotation" | "Ellipse annotation" | "Text label") {
    await this.page.getByRole("button", { name: `${tool} tool`, exact: true }).click();
    await expect(this.page.getByRole("button", { name: `${tool} tool`, exact: true })).toHaveAttribute("aria-pressed", "true");
  }
  /** A left drag over the viewport between two points given as fractions of its box. */
  async drag(from: [number, number], to: [number, number], i = 0) {
    const box = (await this.viewport(i).boundingBox())!;
    await this.page.mouse.move(box.x + box.width * from[0], box.y + box.height * from[1]);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + box.width * to[0], box.y + box.height * to[1], { steps: 8 });
    await this.page.mouse.up();
  }
  async click(at: [number, number], i = 0) {
    const box = (await this.viewport(i).boundingBox())!;
    await this.page.mouse.click(box.x + box.width * at[0], box.y + box.height * at[1]);
  }
  /** Share of the viewport's annotation overlay canvas with something drawn on it. */
  overlayCoverage(i = 0): Promise<number> {
    return new ViewerPage(this.page).overlayCoverage(i);
  }
}
