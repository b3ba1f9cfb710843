import bcrypt from "bcryptjs";
import pg from "pg";
import { expect, type Page } from "@playwright/test";

export const ADMIN = { email: "admin@streamscope.local", password: "streamscope-demo" };

export async function logIn(page: Page, who: { email: string; password: string } = ADMIN, path = "/admin") {
  await page.goto(`/login?callbackUrl=${encodeURIComponent(path)}`);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`${path.replace(/[?]/g, "\\?")}$`));
}

/** A signed-up user without the admin role, straight in the e2e database. */
export async function ensurePlainUser(): Promise<{ email: string; password: string }> {
  const user = { email: "viewer@streamscope.local", password: "viewer-password" };
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO users (id, email, password_hash, role, updated_at) VALUES ('e2e_plain_user', $1, $2, 'user', now())
       ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = 'user'`,
      [user.email, await bcrypt.hash(user.password, 4)],
    );
  } finally {
    await client.end();
  }
  return user;
}
