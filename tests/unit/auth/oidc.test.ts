import { afterEach, describe, expect, it } from "vitest";
import { getAuthOptions, oidcEnabled, resetAuthOptionsForTests } from "@/lib/auth/options";
import { resetEnvForTests } from "@/lib/env";

const saved = { ...process.env };

function withEnv(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvForTests();
  resetAuthOptionsForTests();
}

afterEach(() => {
  process.env = { ...saved };
  resetEnvForTests();
  resetAuthOptionsForTests();
});

describe("hospital single sign-on (OpenID Connect)", () => {
  it("is off by default: credentials are the only provider", () => {
    withEnv({ OIDC_ISSUER: undefined, OIDC_CLIENT_ID: undefined, OIDC_CLIENT_SECRET: undefined });
    expect(oidcEnabled()).toBe(false);
    expect(getAuthOptions().providers.map((p) => p.id)).toEqual(["credentials"]);
  });

  it("turns on from the three environment variables, discovering the issuer's endpoints", () => {
    withEnv({ OIDC_ISSUER: "https://sso.hospital.example/realms/radiology/", OIDC_CLIENT_ID: "casebook", OIDC_CLIENT_SECRET: "s3cret", OIDC_NAME: "St Elsewhere SSO" });
    expect(oidcEnabled()).toBe(true);
    const oidc = getAuthOptions().providers.find((p) => p.id === "oidc") as unknown as { name: string; wellKnown: string; options?: { clientId?: string } };
    expect(oidc.name).toBe("St Elsewhere SSO");
    expect(oidc.wellKnown).toBe("https://sso.hospital.example/realms/radiology/.well-known/openid-configuration");
  });

  it("refuses a half configuration with a message naming the variables", () => {
    withEnv({ OIDC_ISSUER: "https://sso.hospital.example", OIDC_CLIENT_ID: undefined, OIDC_CLIENT_SECRET: undefined });
    expect(() => oidcEnabled()).toThrow(/OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET/);
  });
});
