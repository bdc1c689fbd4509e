import { expect, test, type Browser, type Page } from "@playwright/test";
import { demoAccount, SignInPage, SignUpPage, type DemoAccount } from "./support/pages";

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;

/** A moment as a datetime-local value in the browser's zone (the test and the browser share the machine's). */
function localInput(offsetHours: number): string {
  const d = new Date(Date.now() + offsetHours * 3_600_000);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

async function signedIn(browser: Browser, account: DemoAccount): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await new SignInPage(page).signInAs(account);
  return page;
}

/** The "You are #n with p points (c cases)" line of /leaderboards, for the signed-in resident (undefined: not ranked). */
async function standing(page: Page): Promise<{ points: number; cases: number } | undefined> {
  await page.goto("/leaderboards");
  await expect(page.getByRole("heading", { name: "Leaderboards" })).toBeVisible();
  const text = (await page.locator("main p.muted").first().textContent()) ?? "";
  const m = /You are #\d+ with ([\d.]+) points \((\d+) cases\)/.exec(text);
  return m ? { points: Number(m[1]), cases: Number(m[2]) } : undefined;
}

/** Submits the resident's own (first-ranked) answer on the open case page. */
async function submitOwn(page: Page, answer: string) {
  await page.getByTestId("own-answer-1").fill(answer);
  await page.getByTestId("submit-answer").click();
}

async function confirmMoment(page: Page, which: "Close now" | "Reveal now", phase: string) {
  await page.getByRole("button", { name: which, exact: true }).click();
  await page.getByRole("button", { name: `Confirm: ${which.toLowerCase()}` }).click();
  await expect(page.getByTestId("editor-phase")).toHaveText(phase);
}

// The grader's answer for this key: "clivus tumor" names the site but not the entity, so the grader returns
// "review" (checked with `npm run -s grade -- --key KEY.json`); "chondrosarcoma" names another entity: incorrect.
const key = { diagnosis: "Chordoma of the clivus", synonyms: ["clival chordoma", "chordoma"] };
const reviewAnswer = "clivus tumor";

test("a Diagnosis Please round: authoring, entries, deadline, reveal, congratulations, leaderboard and adjudication", async ({ browser }) => {
  test.setTimeout(300_000);
  const tag = unique();
  const title = `Clival chordoma ${tag}`;
  const resident = demoAccount("resident");

  // 1. The educator writes the case and its answer key in the editor, then publishes it open now.
  const educator = await signedIn(browser, demoAccount("educator"));
  await educator.goto("/author");
  await educator.getByRole("link", { name: "New case" }).click();
  await educator.getByLabel("Title (the diagnosis)").fill(title);
  await educator.getByRole("button", { name: "Create draft" }).click();
  await educator.waitForURL(/\/author\/cases\/\d+$/);
  const number = Number(/\/author\/cases\/(\d+)$/.exec(educator.url())![1]);
  const field = (name: string) => educator.locator(`#f-${name}`);
  await field("summary").fill(`Headache and diplopia in an adult (${tag})`);
  await field("ageBucket").selectOption("50-59");
  await field("sex").selectOption("F");
  await field("difficulty").selectOption("2");
  await field("bodyRegion").fill("skull-base");
  await field("modalities").fill("CT, MR");
  await field("history").fill("Six months of headache and a new **left sixth nerve palsy**.");
  await field("findings").fill("Lobulated, T2-bright, destructive midline mass of the clivus.");
  await field("diagnosis").fill("Chordoma of the clivus.");
  await educator.locator("#key-diagnosis").fill(key.diagnosis);
  await educator.locator("#key-synonyms").fill(key.synonyms.join("\n"));
  await educator.locator("#try-answer").fill(reviewAnswer);
  await educator.getByRole("button", { name: "Try", exact: true }).click();
  await expect(educator.getByTestId("try-verdict")).toHaveText(/review/i);
  await expect(educator.getByTestId("save-status")).toHaveText(/^Saved at \d/, { timeout: 20_000 });
  await educator.reload();
  await expect(educator.locator("#key-synonyms")).toHaveValue(key.synonyms.join("\n"));
  await expect(educator.locator("#schedule-opensAt")).toBeEnabled();
  await educator.locator("#schedule-status").selectOption("published");
  await educator.locator("#schedule-opensAt").fill(localInput(-1));
  await educator.locator("#schedule-closesAt").fill(localInput(48));
  await educator.locator("#schedule-revealsAt").fill(localInput(72));
  await educator.getByRole("button", { name: "Save schedule" }).click();
  await expect(educator.getByTestId("schedule-message")).toHaveText("Schedule saved: published");
  await expect(educator.getByTestId("editor-phase")).toHaveText("Open");

  // 2. The demo resident answers, changes their mind (the history keeps both), and submits a group entry.
  const res = await signedIn(browser, resident);
  const before = (await standing(res)) ?? { points: 0, cases: 0 };
  await res.goto(`/cases/${number}`);
  await expect(res.getByTestId("case-phase")).toHaveText("Open");
  await expect(res.getByTestId("case-heading")).not.toContainText(tag);
  await submitOwn(res, "chondrosarcoma");
  await expect(res.getByTestId("own-entry")).toContainText("chondrosarcoma");
  await submitOwn(res, "Clival chordoma");
  await expect(res.getByTestId("own-entry")).toContainText("Clival chordoma");
  await res.getByTestId("own-entry").getByText("History (2 versions)").click();
  await expect(res.getByTestId("own-entry-history").locator("li")).toHaveCount(2);
  await expect(res.getByTestId("own-entry-history")).toContainText("chondrosarcoma");
  const group = res.getByTestId("group-entry").filter({ hasText: "Demo Residency Program" });
  await group.locator("input[name=answer]").first().fill("chordoma");
  await group.getByRole("button", { name: "Submit group entry" }).click();
  await expect(group).toContainText(`Group entry, saved`);
  await expect(group.locator("ol li").first()).toHaveText("chordoma");

  // 3. A second, newly signed-up resident gives an answer the grader cannot judge.
  const second = await (await browser.newContext()).newPage();
  const secondName = `Rex Reviewed ${tag}`;
  await new SignUpPage(second).signUp({ name: secondName, email: `rev-${tag}@example.org`, password: "a long enough password" });
  await expect(second.getByTestId("current-user")).toHaveText(secondName);
  await second.goto(`/cases/${number}`);
  await submitOwn(second, reviewAnswer);
  await expect(second.getByTestId("own-entry")).toContainText(reviewAnswer);

  // 4. The educator closes the case: the resident's next submission (from the page still open) is refused.
  await educator.reload();
  await confirmMoment(educator, "Close now", "Closed · awaiting reveal");
  await submitOwn(res, "chordoma, final answer");
  await expect(res.getByTestId("own-error")).toContainText("this case is closed");
  await res.reload();
  await expect(res.getByTestId("case-phase")).not.toHaveText("Open");
  await expect(res.getByTestId("submission-closed")).toContainText("this case is closed");
  await expect(res.getByTestId("own-entry")).toContainText("Clival chordoma");
  await expect(res.getByTestId("own-entry")).not.toContainText("final answer");

  // 5. The educator reveals it: verdict, diagnosis and congratulations; the leaderboard adds the point.
  await confirmMoment(educator, "Reveal now", "Revealed");
  await res.reload();
  await expect(res.getByTestId("case-heading")).toContainText(title);
  await expect(res.getByRole("heading", { name: `Diagnosis: ${title}` })).toBeVisible();
  await expect(res.getByTestId("own-entry-verdict")).toContainText("Correct");
  await expect(res.getByTestId("congratulations-residents")).toContainText(resident.name);
  await expect(res.getByTestId("congratulations-residents")).not.toContainText(secondName);
  await expect(res.getByTestId("congratulations-groups")).toContainText("Demo Residency Program");
  const after = await standing(res);
  expect(after).toEqual({ points: before.points + 1, cases: before.cases + 1 });
  const myRow = res.getByTestId("individual-leaderboard").locator("tr[aria-current=true]");
  await expect(myRow).toContainText(resident.name);
  await expect(myRow.locator("td").nth(2)).toHaveText(String(before.points + 1));
  await expect(res.locator("[data-testid=case-congratulations]").filter({ hasText: title })).toContainText(resident.name);

  // The second resident's answer waits for review: it earns nothing yet.
  await second.goto(`/cases/${number}`);
  await expect(second.getByTestId("own-entry-verdict")).toContainText("review");
  expect((await standing(second))?.points ?? 0).toBe(0);

  // Residents may not adjudicate.
  expect((await res.goto(`/author/cases/${number}/review`))?.status()).toBe(403);

  // 6. The educator judges the review group correct; the leaderboard follows at once.
  await educator.getByRole("link", { name: "Review answers" }).click();
  await educator.waitForURL(new RegExp(`/author/cases/${number}/review$`));
  const queued = educator.getByTestId("review-group").filter({ hasText: reviewAnswer });
  await expect(queued).toHaveCount(1);
  await expect(queued.getByTestId("review-count")).toHaveText("1");
  await expect(educator.getByTestId("answer-group").filter({ hasText: "Clival chordoma" }).getByTestId("answer-group-verdict")).toHaveText("Correct");
  await queued.getByRole("button", { name: "Correct", exact: true }).click();
  await expect(educator.getByTestId("review-queue-empty")).toBeVisible();
  await expect(educator.getByTestId("answer-group").filter({ hasText: reviewAnswer }).getByTestId("answer-group-verdict")).toHaveText("Correct");

  expect(await standing(second)).toEqual({ points: 1, cases: 1 });
  await second.goto(`/cases/${number}`);
  await expect(second.getByTestId("own-entry-verdict")).toContainText("Correct");
  await expect(second.getByTestId("congratulations-residents")).toContainText(secondName);

  // Clean up: a case with answers cannot be deleted, so it goes back to a draft (out of residents' sight and
  // out of the leaderboards).
  await educator.goto(`/author/cases/${number}`);
  await expect(educator.locator("#schedule-status")).toBeEnabled();
  await educator.locator("#schedule-status").selectOption("draft");
  await educator.getByRole("button", { name: "Save schedule" }).click();
  await expect(educator.getByTestId("schedule-message")).toHaveText("Schedule saved: draft");
  expect((await res.goto(`/cases/${number}`))?.status()).toBe(404);
  expect(await standing(res)).toEqual(before.cases ? before : undefined);
  for (const p of [educator, res, second]) await p.context().close();
});
