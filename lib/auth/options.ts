import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { z } from "zod";
import { getDb } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { getUserByEmail, insertUser } from "@/db/queries/users";
import type { Role } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { verifyPassword } from "./password";

const credentialsSchema = z.object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(200) });

type OidcProfile = { sub: string; email?: string; name?: string; preferred_username?: string };

/** Hospital single sign-on: a generic OpenID Connect provider, on only when all three variables are set. */
function oidcProvider(): OAuthConfig<OidcProfile> | undefined {
  const env = getEnv();
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET) return undefined;
  return {
    id: "oidc",
    name: env.OIDC_NAME,
    type: "oauth",
    wellKnown: `${env.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state"],
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    profile: (profile) => ({
      id: profile.sub,
      email: profile.email ?? null,
      name: profile.name ?? profile.preferred_username ?? profile.email ?? "Resident",
    }),
  };
}

export function oidcEnabled(): boolean {
  return oidcProvider() !== undefined;
}

let cached: NextAuthOptions | undefined;

/** Test hook: rebuild the options from the environment on the next call. */
export function resetAuthOptionsForTests(): void {
  cached = undefined;
}

/** next-auth configuration: credentials (argon2id) and optional OIDC, JWT sessions carrying id and role. */
export function getAuthOptions(): NextAuthOptions {
  if (cached) return cached;
  const env = getEnv();
  const oidc = oidcProvider();
  cached = {
    secret: env.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(raw) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const db = await getDb();
          const user = await getUserByEmail(db, parsed.data.email);
          const ok = await verifyPassword(user?.passwordHash, parsed.data.password);
          if (!user || !ok) return null;
          return { id: user.id, email: user.email, name: user.name, role: user.role };
        },
      }),
      ...(oidc ? [oidc] : []),
    ],
    callbacks: {
      async signIn({ user, account }) {
        if (account?.provider !== "oidc") return true;
        if (!user.email) return false;
        const db = await getDb();
        const existing = await getUserByEmail(db, user.email);
        if (!existing) {
          const created = await insertUser(db, { email: user.email, name: user.name ?? user.email, role: "resident", passwordHash: null });
          if (created) await recordAudit(db, { actorId: created.id, action: "user.sign-up", entity: "user", entityId: created.id, detail: { via: "oidc" } });
        }
        return true;
      },
      async jwt({ token, user, account }) {
        if (user && account?.provider === "credentials") {
          token.uid = user.id;
          token.role = (user as { role?: Role }).role;
        } else if (user && account?.provider === "oidc" && user.email) {
          const dbUser = await getUserByEmail(await getDb(), user.email);
          token.uid = dbUser?.id;
          token.role = dbUser?.role;
        }
        return token;
      },
      async session({ session, token }) {
        if (session.user) {
          session.user.id = typeof token.uid === "string" ? token.uid : "";
          session.user.role = (token.role as Role | undefined) ?? "resident";
        }
        return session;
      },
    },
  };
  return cached;
}
