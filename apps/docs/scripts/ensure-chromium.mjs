// Makes sure the docs' browser test has a Chromium: the one it would find, or Debian's package
// installed with apt where that is possible. Never downloads a browser build of its own.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { findChromium } from "./browser.mjs";

const found = () => {
  try {
    return findChromium();
  } catch {
    return undefined;
  }
};

const existing = found();
if (existing) {
  console.log(`Chromium for the docs' browser test: ${existing}`);
  process.exit(0);
}
if (!existsSync("/etc/debian_version") || !existsSync("/usr/bin/apt-get")) {
  console.warn(
    "No Chromium found, and this is not Debian or Ubuntu: install Chrome or Chromium and set " +
      "CHROME_PATH to it before `pnpm test` (the docs' browser test needs it).",
  );
  process.exit(0);
}
const [command, ...prefix] = process.getuid?.() === 0 ? ["apt-get"] : ["sudo", "apt-get"];
/** @param {string[]} args */
const apt = (...args) =>
  execFileSync(command, [...prefix, ...args], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
console.log("Installing Debian's chromium for the docs' browser test (apt-get)...");
apt("update", "-qq");
apt("install", "-y", "-qq", "chromium");
console.log(`Chromium for the docs' browser test: ${findChromium()}`);
