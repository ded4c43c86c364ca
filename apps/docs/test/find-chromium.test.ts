import { describe, expect, it } from "vitest";
import { findChromium } from "../scripts/browser.mjs";

describe("findChromium", () => {
  it("takes CHROME_PATH first", () => {
    expect(findChromium({ chromePath: process.execPath, candidates: [] })).toBe(process.execPath);
  });

  it("fails on a CHROME_PATH that does not exist", () => {
    expect(() => findChromium({ chromePath: "/nowhere/chrome" })).toThrow(
      "CHROME_PATH is /nowhere/chrome, which does not exist.",
    );
  });

  it("fails with how to install one when there is none", () => {
    expect(() => findChromium({ chromePath: "", candidates: ["/nowhere/chromium"] })).toThrow(
      /apt-get install -y chromium.*CHROME_PATH.*\/nowhere\/chromium/,
    );
  });
});
