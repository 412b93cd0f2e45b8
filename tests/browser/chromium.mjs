// What every browser test shares: the server's address and Debian's Chromium, launched headless without the
// background traffic (updates, sync, QUIC) that a test machine with no internet would only wait on.

import { chromium } from "playwright-core";

export const BASE = (process.env.ARROW_URL || "http://127.0.0.1:7700").replace(/\/$/, "");

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
}
