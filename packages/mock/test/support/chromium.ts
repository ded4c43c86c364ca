// The system's Chromium for the inspector's browser test, found as the docs' test finds it
// (CHROME_PATH, else the system's): never a downloaded one. `pnpm chromium` installs it.
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export function launchChromium(): Promise<Browser> {
  const candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
  const executablePath = process.env.CHROME_PATH ?? candidates.find((path) => existsSync(path));
  if (executablePath === undefined) {
    throw new Error(
      `No Chromium in ${candidates.join(", ")}: run pnpm chromium, or set CHROME_PATH.`,
    );
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu"],
  });
}
