import fs from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { e2eDataDir } from "./paths";

export type DemoAccount = { role: "resident" | "educator" | "admin"; email: string; password: string; name: string };

/** The demo accounts the start command created for this run. */
export function demoAccount(role: DemoAccount["role"]): DemoAccount {
  const accounts = JSON.parse(fs.readFileSync(path.join(e2eDataDir, "demo-accounts.json"), "utf8")) as DemoAccount[];
  return accounts.find((a) => a.role === role)!;
}

/** Page object for /signin. */
export class SignInPage {
  constructor(private readonly page: Page) {}
  async goto() {
    await this.page.goto("/signin");
  }
  async signIn(email: string, password: string) {
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in", exact: true }).click();
  }
  async signInAs(account: DemoAccount) {
    await this.goto();
    await this.signIn(account.email, account.password);
    await expect(this.page.getByTestId("current-user")).toHaveText(account.name);
  }
  error() {
    return this.page.locator("form[aria-label=\"Sign in\"] [role=alert]");
  }
}

/** Page object for /signup. */
export class SignUpPage {
  constructor(private readonly page: Page) {}
  async signUp(fields: { name: string; email: string; password: string; pseudonym?: string; inviteCode?: string }) {
    await this.page.goto("/signup");
    await this.page.getByLabel("Full name").fill(fields.name);
    await this.page.getByLabel("Email").fill(fields.email);
    await this.page.getByLabel("Password").fill(fields.password);
    if (fields.pseudonym) await this.page.getByLabel("Pseudonym (optional)").fill(fields.pseudonym);
    if (fields.inviteCode) await this.page.getByLabel("Group invite code (optional)").fill(fields.inviteCode);
    await this.page.getByRole("button", { name: "Create account" }).click();
  }
}

/** Page object for the case library. */
export class LibraryPage {
  constructor(private readonly page: Page) {}
  async goto(query = "") {
    await this.page.goto(`/cases${query}`);
  }
  cards() {
    return this.page.getByTestId("case-card");
  }
  async filter(label: string, value: string) {
    await this.page.getByLabel(label, { exact: true }).selectOption(value);
    await this.page.getByRole("button", { name: "Apply" }).click();
    await this.page.waitForURL(/\/cases\?/);
  }
}
