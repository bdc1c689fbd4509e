import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

/** The docs' screenshots (scripts/screenshots), taken by hand with `npm run screenshots`; never part of npm test. */
export default defineConfig({ ...base, testDir: "scripts/screenshots" });
