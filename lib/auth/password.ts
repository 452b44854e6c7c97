/** Password hashing (bcryptjs; cost from BCRYPT_COST) and a timing-safe check for unknown accounts. */
import "server-only";
import bcrypt from "bcryptjs";
import { getEnv } from "@/lib/env";

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, getEnv().auth.bcryptCost);
}

let dummyHash: { cost: number; hash: Promise<string> } | undefined;

/** A hash of a random string at the current cost, so a miss costs as much as a wrong password. */
function dummy(): Promise<string> {
  const cost = getEnv().auth.bcryptCost;
  if (!dummyHash || dummyHash.cost !== cost) {
    dummyHash = { cost, hash: bcrypt.hash(`dummy-${Math.random()}`, cost) };
  }
  return dummyHash.hash;
}

/**
 * True when `password` matches `hash`. With no hash (unknown email, OAuth-only account) it still
 * runs a full bcrypt comparison and answers false, so both failures take the same time.
 */
export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  if (!hash) {
    await bcrypt.compare(password, await dummy());
    return false;
  }
  try {
    return await bcrypt.compare(password, hash);
  } catch {
    return false; // a malformed stored hash must not become a 500 or a login
  }
}
