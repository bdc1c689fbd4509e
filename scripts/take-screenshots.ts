// npx tsx scripts/take-screenshots.ts --base http://localhost:3183 --data-dir DIR [--out docs/screenshots]
// Screenshots of the Diagnosis Please pages for the docs, in headless Chromium against a running demo start
// (`CASEBOOK_DATA_DIR=DIR PORT=3183 npm start`): a reveal page (congratulations list, most common answers),
// and the individual and resident-group leaderboards, each at laptop (1366x768) and tablet (820x1180) size.
// Signs in as the demo resident from DIR/demo-accounts.json, and on the reveal page checks a practice answer
// (so the resident's own verdict shows; practice never counts).
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Page } from "@playwright/test";

const { values: args } = parseArgs({
  options: {
    base: { type: "string", default: "http://localhost:3183" },
    "data-dir": { type: "string" },
    out: { type: "string", default: "docs/screenshots" },
    case: { type: "string" },
  },
});
if (!args["data-dir"]) throw new Error("--data-dir is required (the CASEBOOK_DATA_DIR of the running demo)");
type Account = { role: string; email: string; password: string; name: string };
const accounts = JSON.parse(fs.readFileSync(path.join(args["data-dir"], "demo-accounts.json"), "utf8")) as Account[];
const resident = accounts.find((a) => a.role === "resident")!;

async function signIn(page: Page) {
  await page.goto(`${args.base}/signin`);
  await page.getByLabel("Email").fill(resident.email);
  await page.getByLabel("Password").fill(resident.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByTestId("current-user").waitFor();
}

/** The first revealed case in the library with a congratulations list, unless --case names one. */
async function revealedCasePath(page: Page): Promise<string> {
  if (args.case) return `/cases/${args.case}`;
  await page.goto(`${args.base}/cases`);
  const hrefs = await page.locator('a[href^="/cases/"]').evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute("href")!))]);
  for (const href of hrefs.filter((h) => /^\/cases\/\d+$/.test(h))) {
    await page.goto(`${args.base}${href}`);
    if ((await page.getByTestId("congratulations-residents").count()) > 0) return href;
  }
  throw new Error("no revealed case with a congratulations list");
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  fs.mkdirSync(args.out, { recursive: true });
  const shots: string[] = [];
  try {
    for (const [label, viewport] of [["laptop", { width: 1366, height: 768 }], ["tablet", { width: 820, height: 1180 }]] as const) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1, colorScheme: "dark" });
      const page = await context.newPage();
      await signIn(page);
      const casePath = await revealedCasePath(page);
      await page.goto(`${args.base}${casePath}`);
      await page.getByTestId("reveal-results").waitFor();
      // The resident's own answer with its verdict: a practice answer (revealed cases take practice only).
      if ((await page.getByTestId("practice-entry-verdict").count()) === 0) {
        await page.getByLabel("Most likely").fill("iron-laden EMH");
        await page.getByLabel("Second (optional)").fill("chronic haematoma");
        await page.getByRole("button", { name: "Check my answer" }).click();
        await page.getByTestId("practice-entry-verdict").waitFor();
      }
      await page.locator("[data-rendered-image-id]").first().waitFor({ timeout: 30_000 }).catch(() => undefined);
      const save = async (name: string, take: (file: string) => Promise<unknown>) => {
        const file = path.join(args.out!, `${name}-${label}.png`);
        await take(file);
        shots.push(file);
      };
      // A full-page shot of a scrolled page paints the sticky header where the viewport was: start at the top.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.waitForTimeout(300);
      await save("reveal", (file) => page.screenshot({ path: file, fullPage: true }));
      await save("reveal-results", (file) => page.getByTestId("reveal-results").screenshot({ path: file }));
      await page.goto(`${args.base}/leaderboards`);
      await page.getByRole("heading", { name: /Individuals/ }).waitFor();
      await save("leaderboards", (file) => page.screenshot({ path: file, fullPage: true }));
      await save("leaderboard-individuals", (file) => page.locator("section", { has: page.getByRole("heading", { name: /Individuals/ }) }).screenshot({ path: file }));
      await save("leaderboard-groups", (file) => page.locator("section", { has: page.getByRole("heading", { name: /Resident groups/ }) }).screenshot({ path: file }));
      await context.close();
    }
  } finally {
    await browser.close();
  }
  for (const s of shots) console.log(s);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
